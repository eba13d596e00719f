/**
 * The closed set of error codes every ktrdr error carries. Codes, not class names, cross process
 * boundaries: a server serialises the code and the client rebuilds the matching class.
 */
export const ERROR_CODES = [
  'connection_failed',
  'timeout',
  'configuration',
  'validation',
  'unauthorized',
  'not_found',
  'unknown_symbol',
  'conflict',
  'payload_too_large',
  'cancelled',
  'rate_limited',
  'data_unavailable',
  'host_service',
  'internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status a server answers with for each code. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  connection_failed: 503,
  timeout: 504,
  configuration: 500,
  validation: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_symbol: 404,
  conflict: 409,
  payload_too_large: 413,
  cancelled: 499,
  rate_limited: 429,
  data_unavailable: 404,
  host_service: 502,
  internal: 500,
};

/** True when `value` is one of the closed set of codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The code to use for an HTTP error response whose body is not a serialised ktrdr error
 * (a proxy's 502 page, a foreign server): the status is all we know.
 */
export function codeFromHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'validation';
    case 401:
    case 403:
      return 'unauthorized';
    case 404:
      return 'not_found';
    case 408:
    case 504:
      return 'timeout';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    case 499:
      return 'cancelled';
    default:
      return status >= 500 ? 'host_service' : 'validation';
  }
}
