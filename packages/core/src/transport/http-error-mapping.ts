import { isTimeoutError } from './ky-errors';
import {
  CancelledError,
  HostServiceError,
  KtrdrError,
  RateLimitedError,
  ServiceConnectionError,
  ServiceTimeoutError,
  errorFromHttpStatus,
  errorFromJSON,
  isSerializedKtrdrError,
} from '../errors/index';

/** What an error message needs to say where a call went. @internal */
export interface CallSite {
  serviceName: string;
  baseUrl: string;
  method: string;
  url: string;
  /** Environment variable that sets the URL, named in connection errors. */
  urlVariable?: string | undefined;
  /** Per-attempt timeout of the call, named in timeout errors. */
  timeoutMs: number;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

/**
 * TLS refusals of the server's certificate: a retry meets the same certificate, so none is made, and
 * the message says how to trust a private CA.
 */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** True for a refused, reset or unreachable connection: another attempt may go better. @internal */
export function isConnectionFailure(error: unknown): boolean {
  const code = networkCode(error);
  return code !== undefined && CONNECTION_CODES.has(code);
}

/** Parses a `Retry-After` header (seconds or HTTP date) into milliseconds. @internal */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Turns an HTTP error response into the ktrdr error it carries, or one built from its status. @internal */
export function errorFromResponse(site: CallSite, response: Response, bodyText: string): KtrdrError {
  const { status, statusText } = response;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const serialized = (body as { error?: unknown } | undefined)?.error;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (isSerializedKtrdrError(serialized)) {
    const error = errorFromJSON(serialized, status);
    if (error instanceof RateLimitedError && error.retryAfterMs === undefined && retryAfterMs !== undefined) {
      return new RateLimitedError(error.message, {
        details: error.details,
        retryAfterMs,
        cause: error.cause,
      });
    }
    return error;
  }
  return errorFromHttpStatus(
    status,
    `${site.serviceName} answered ${status}${statusText ? ` ${statusText}` : ''} to ${site.method} ${site.url}`,
    { details: { service: site.serviceName, url: site.url, status }, retryAfterMs },
  );
}

/**
 * Maps a failure that produced no usable HTTP response (network error, abort, timeout): an aborted
 * `signal` decides first (its reason is our own deadline error, or the caller cancelled); then an
 * attempt that outlived its timeout; refused or reset connections name the service, its URL and
 * what to check.
 * @internal
 */
export function errorFromFailure(
  site: CallSite,
  error: unknown,
  signal: AbortSignal | undefined,
): KtrdrError {
  if (signal?.aborted === true) {
    const reason: unknown = signal.reason;
    if (reason instanceof KtrdrError) return reason;
    return new CancelledError(`${site.method} ${site.url} to ${site.serviceName} was cancelled`, {
      details: { service: site.serviceName, url: site.url },
      cause: reason,
    });
  }
  if (error instanceof KtrdrError) return error;
  if (isTimeoutError(error)) {
    return new ServiceTimeoutError(
      `${site.serviceName} did not answer ${site.method} ${site.url} within ${site.timeoutMs} ms`,
      { details: { service: site.serviceName, url: site.url, timeoutMs: site.timeoutMs } },
    );
  }
  const code = networkCode(error);
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    return new ServiceConnectionError(
      `${site.serviceName} at ${site.baseUrl} presented a TLS certificate this process does not trust (${code}). If it is signed by a private CA, point NODE_EXTRA_CA_CERTS at that CA's certificate.`,
      { details: { service: site.serviceName, url: site.url, code }, cause: error },
    );
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    const hint = site.urlVariable === undefined ? 'check its URL' : `check ${site.urlVariable}`;
    return new ServiceConnectionError(
      `${site.serviceName} is not reachable at ${site.baseUrl} (${code}). Is it running? Start it, or ${hint}.`,
      { details: { service: site.serviceName, url: site.url, code }, cause: error },
    );
  }
  return new HostServiceError(
    `${site.serviceName} request ${site.method} ${site.url} failed: ${String(error)}`,
    {
      status: 0,
      details: { service: site.serviceName, url: site.url },
      cause: error,
    },
  );
}
