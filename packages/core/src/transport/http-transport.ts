import type { KyInstance } from 'ky';
import { isHTTPError } from './ky-errors';
import type { ServiceRequest } from '../contract/implement-service';
import { toSearchParams } from '../contract/query';
import { ServiceConnectionError } from '../errors/index';
import { NDJSON_CONTENT_TYPE } from '../http/ndjson';
import { linkedSignal } from '../internal/abort';
import { AttemptFetch } from './http-attempt-fetch';
import { parseBaseUrl } from './http-base-url';
import { createNodeFetchPool } from './http-node-fetch';
import { type CallSite, errorFromFailure, errorFromResponse } from './http-error-mapping';
import { parseJsonBody, readProgressStream } from './http-response';
import { type HttpRetryOptions, kyRetryOptions, retryPolicy, retryVerdict } from './http-retry';
import { withInterceptors } from './interceptor';
import { bearerAuthInterceptor } from './interceptors';
import type { CallOptions, Transport, TransportCounters } from './transport';

export type { HttpRetryOptions } from './http-retry';

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Base URL of the service, e.g. `http://localhost:8001`; may carry a path prefix (`/api/v1`). */
  baseUrl: string;
  /** Display name used in errors, e.g. "IB host service". */
  serviceName: string;
  /** Environment variable that sets `baseUrl`, named in connection and configuration errors. */
  urlVariable?: string;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** Default total deadline across retries, in ms (none by default). */
  deadlineMs?: number;
  /** Setting that sets `deadlineMs` (e.g. `IB_HOST_SERVICE_TIMEOUT`), named in deadline errors. */
  deadlineVariable?: string;
  /** Retry policy, or `false` for none. */
  retry?: HttpRetryOptions | false;
  /**
   * Bearer token sent as `Authorization` (the server's `KTRDR_API_TOKEN`), through
   * {@link bearerAuthInterceptor}.
   */
  token?: string;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** Most sockets kept open to the service (default 16). */
  connections?: number;
  /** How long an idle keep-alive socket is kept, in ms (default 30000; a shorter server hint wins). */
  keepAliveTimeoutMs?: number;
}

function queryString(query: ServiceRequest['query']): string {
  if (query === undefined) return '';
  const encoded = toSearchParams(query).toString();
  return encoded === '' ? '' : `?${encoded}`;
}

/**
 * The headers of a call, by whether it sends a body and whether it asks for progress: built once
 * per transport, as plain objects. Header values are checked when a call sends them, so a bad one
 * fails that call (naming it) rather than the transport's construction.
 */
function headerSets(
  headers: Readonly<Record<string, string>> | undefined,
): (body: boolean, progress: boolean) => Record<string, string> {
  const base: Record<string, string> = { ...headers };
  const sets = [false, true].map((body) =>
    [false, true].map((progress) => ({
      ...base,
      accept: progress ? `${NDJSON_CONTENT_TYPE}, application/json` : 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
    })),
  );
  return (body, progress) => sets[Number(body)]![Number(progress)]!;
}

/** What a call that ran out of time says: where it went, how long it had, and what to do. */
function deadlineMessage(service: string, call: string, deadlineMs: number, variable?: string): string {
  const raise = variable === undefined ? 'raise its deadline' : `raise ${variable}`;
  return `${service} did not complete ${call} within its ${deadlineMs} ms deadline. Is it hung or overloaded? Check or restart it, or ${raise}.`;
}

let kyModule: Promise<KyInstance> | undefined;

/** ky, loaded once per process on first need: a process that never calls over HTTP never loads it. */
function loadKy(): Promise<KyInstance> {
  kyModule ??= import('ky').then((ky) => ky.default);
  return kyModule;
}

/**
 * The HTTP transport, on ky: one keep-alive connection pool (a Node `http.Agent`) per transport,
 * reused by every call (the seed's "one persistent client per process"). ky makes the attempts:
 * per-attempt timeout, retries with exponential backoff and jitter for idempotent calls only,
 * honouring `Retry-After`; the caller's signal and the total deadline bound the whole call, waits
 * included. Every failure is mapped to a ktrdr error that names the service and URL.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const transport = createBareHttpTransport(options);
  return options.token === undefined
    ? transport
    : withInterceptors(transport, [bearerAuthInterceptor(options.token)]);
}

function createBareHttpTransport(options: HttpTransportOptions): Transport {
  const baseUrl = parseBaseUrl(options.baseUrl, options.serviceName, options.urlVariable);
  const serviceName = options.serviceName;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = retryPolicy(options.retry);
  const headers = headerSets(options.headers);
  // Header sets with a call's extra headers (an interceptor's), built once per extra-headers object.
  const extraHeaders = new WeakMap<object, ReturnType<typeof headerSets>>();
  const headersWith = (extra: Readonly<Record<string, string>>) => {
    let sets = extraHeaders.get(extra);
    if (sets === undefined) extraHeaders.set(extra, (sets = headerSets({ ...options.headers, ...extra })));
    return sets;
  };
  const counters: TransportCounters = { bytesSent: 0, bytesReceived: 0, attempts: 0, retries: 0 };
  const pool = createNodeFetchPool({
    secure: baseUrl.startsWith('https:'),
    connections: options.connections ?? 16,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 30_000,
  });
  // One ky instance per transport, made on the first call: what every call shares is merged once,
  // not per call. Redirects are never followed (Node's `http` does not): one would send the call,
  // and its token, elsewhere.
  let client: Promise<KyInstance> | undefined;
  const connect = () =>
    (client ??= loadKy().then((ky) =>
      ky.create({
        retry: kyRetryOptions(policy),
        hooks: { beforeRequest: [() => void counters.attempts++] },
      }),
    ));
  let closed = false;

  return {
    kind: 'http',
    serviceName,
    target: baseUrl,
    counters: () => ({ ...counters }),
    async call(request: ServiceRequest, callOptions: CallOptions = {}) {
      const path = baseUrl + request.path;
      const site: CallSite = {
        serviceName,
        baseUrl,
        method: request.method,
        url: path,
        urlVariable: options.urlVariable,
        timeoutMs: callOptions.timeoutMs ?? timeoutMs,
      };
      if (closed) {
        throw new ServiceConnectionError(`${serviceName} client for ${baseUrl} is closed`, {
          details: { service: serviceName, url: path },
        });
      }
      const deadlineMs = callOptions.deadlineMs ?? options.deadlineMs;
      // Only pay for a linked signal when there is a deadline to add to the caller's signal.
      const call =
        deadlineMs === undefined
          ? callOptions.signal && { signal: callOptions.signal, dispose: () => undefined }
          : linkedSignal([callOptions.signal], {
              ms: deadlineMs,
              message: deadlineMessage(
                serviceName,
                `${request.method} ${path}`,
                deadlineMs,
                options.deadlineVariable,
              ),
              details: { service: serviceName, url: path, deadlineMs },
            });
      const signal = call?.signal;
      const idempotent = callOptions.idempotent ?? request.method === 'GET';
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const attempt = new AttemptFetch(body, counters, pool);
      try {
        const response = await (
          await connect()
        )(path + queryString(request.query), {
          method: request.method,
          headers: (callOptions.headers === undefined ? headers : headersWith(callOptions.headers))(
            body !== undefined,
            callOptions.onProgress !== undefined,
          ),
          timeout: site.timeoutMs,
          signal,
          retry: {
            limit: idempotent ? Math.max(0, callOptions.retries ?? policy.limit) : 0,
            // Counted here rather than in a beforeRetry hook, which runs only after the wait: a
            // retry the deadline or the caller cut short while waiting still counts.
            shouldRetry: ({ error }) => {
              if (closed || signal?.aborted === true) return false;
              const verdict = retryVerdict(error, policy);
              if (verdict === undefined) counters.retries++;
              return verdict;
            },
          },
          fetch: attempt.fetch,
        });
        if (attempt.text !== undefined) return parseJsonBody(site, response.status, attempt.text);
        const { value, bytes } = await readProgressStream(site, response, callOptions.onProgress);
        counters.bytesReceived += bytes;
        return value;
      } catch (error) {
        throw isHTTPError(error)
          ? errorFromResponse(site, error.response, attempt.text ?? '')
          : errorFromFailure(site, error, signal);
      } finally {
        call?.dispose();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // Destroy rather than drain: a call still running (a progress stream, say) ends now.
      pool.destroy();
    },
  };
}
