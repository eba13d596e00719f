import type { ServiceRequest } from '../contract/implement-service';
import { toKtrdrError } from '../errors/index';
import type { CallOptions } from './transport';
import type { Interceptor } from './interceptor';

/**
 * How many retries one call may make after its first attempt, by request; `undefined` leaves the
 * transport's default (for HTTP: its `retry.limit` for idempotent calls, none otherwise).
 */
export type RetryRule = (request: ServiceRequest, options: CallOptions) => number | undefined;

/**
 * The one place a transport's per-call retry policy is decided. It sets each call's retry budget;
 * the transport's engine spends it (over HTTP, ky: per-attempt timeout, backoff with jitter,
 * `Retry-After`, all inside the call's deadline; in-process and ib calls are one attempt, so the
 * budget does not apply there). Give a call 0 when a layer above owns its retries (the data
 * manager's segment fetcher owns bar fetches), so that retries never multiply across layers.
 */
export function retryInterceptor(rule: RetryRule): Interceptor {
  return (next) => (request, options) => {
    const retries = rule(request, options);
    return next(request, retries === undefined ? options : { ...options, retries });
  };
}

/**
 * Sends `token` as `Authorization: Bearer ...` on every call that crosses a wire (an in-process
 * call has no headers and needs none). The token is never logged nor put in an error.
 */
export function bearerAuthInterceptor(token: string): Interceptor {
  const authorization = `Bearer ${token}`;
  // One frozen object for the usual call with no other headers: the HTTP transport merges it into
  // its header sets once, not per call.
  const only: Readonly<Record<string, string>> = Object.freeze({ authorization });
  return (next) => (request, options) =>
    next(request, {
      ...options,
      headers: options.headers === undefined ? only : { ...options.headers, authorization },
    });
}

/** Where {@link loggingInterceptor} writes: one line per call. */
export interface CallLogger {
  debug?(message: string, data: Record<string, unknown>): void;
  warn?(message: string, data: Record<string, unknown>): void;
}

/**
 * Logs each call once it ends: method, path, milliseconds and, on failure, the error code (never
 * bodies, headers or tokens). Successes go to `debug`, failures to `warn`.
 */
export function loggingInterceptor(logger: CallLogger, serviceName: string): Interceptor {
  return (next) => async (request, options) => {
    const started = performance.now();
    const line = (extra: Record<string, unknown>) => ({
      service: serviceName,
      method: request.method,
      path: request.path,
      ms: Math.round(performance.now() - started),
      ...extra,
    });
    try {
      const result = await next(request, options);
      logger.debug?.(`${serviceName} ${request.method} ${request.path}`, line({ ok: true }));
      return result;
    } catch (error) {
      const code = toKtrdrError(error, `${serviceName} call failed`).code;
      logger.warn?.(`${serviceName} ${request.method} ${request.path} failed`, line({ ok: false, code }));
      throw error;
    }
  };
}
