import { type ErrorCode, codeFromHttpStatus, isErrorCode } from './codes';
import {
  CancelledError,
  ConflictError,
  DataUnavailableError,
  HostServiceError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceConfigurationError,
  ServiceConnectionError,
  ServiceTimeoutError,
  UnauthorizedError,
  UnknownSymbolError,
  ValidationError,
} from './error-classes';
import { KtrdrError, type KtrdrErrorOptions, type SerializedKtrdrError } from './ktrdr-error';

/** Classes rebuilt from their code alone; rate limits and host-service errors carry an extra field. */
const CLASS_BY_CODE: Record<
  Exclude<ErrorCode, 'rate_limited' | 'host_service'>,
  new (message: string, options: KtrdrErrorOptions) => KtrdrError
> = {
  connection_failed: ServiceConnectionError,
  timeout: ServiceTimeoutError,
  configuration: ServiceConfigurationError,
  validation: ValidationError,
  unauthorized: UnauthorizedError,
  not_found: NotFoundError,
  unknown_symbol: UnknownSymbolError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  cancelled: CancelledError,
  data_unavailable: DataUnavailableError,
  internal: InternalError,
};

/** True when `value` has the shape of {@link SerializedKtrdrError}. */
export function isSerializedKtrdrError(value: unknown): value is SerializedKtrdrError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v['code']) && typeof v['message'] === 'string';
}

/**
 * Rebuilds the error a server serialised, as the same class. `status` is the HTTP status it came
 * with, used for `host_service` errors that lack their own.
 */
export function errorFromJSON(json: SerializedKtrdrError, status?: number): KtrdrError {
  const options: KtrdrErrorOptions = {};
  if (json.details !== undefined) options.details = json.details;
  if (json.causes !== undefined && json.causes.length > 0) options.cause = causeChain(json.causes);
  switch (json.code) {
    case 'rate_limited':
      return new RateLimitedError(json.message, { ...options, retryAfterMs: json.retryAfterMs });
    case 'host_service':
      return new HostServiceError(json.message, { ...options, status: json.status ?? status ?? 502 });
    default:
      return new CLASS_BY_CODE[json.code](json.message, options);
  }
}

/**
 * The error a reported code stands for, as the class it names: what a finished operation or a
 * training session reports as `error_code` and a message. A missing or unknown code is `internal`.
 * The one mapping from such reports to classes: the client's `operationError` and the training
 * manager both use it.
 */
export function errorFromCode(
  code: string | null | undefined,
  message: string,
  details?: Record<string, unknown>,
): KtrdrError {
  return errorFromJSON({ name: 'KtrdrError', code: isErrorCode(code) ? code : 'internal', message, details });
}

function causeChain(messages: string[]): Error | undefined {
  let cause: Error | undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    cause = new Error(messages[i], cause === undefined ? undefined : { cause });
  }
  return cause;
}

/**
 * The error for an HTTP error response whose body is not a serialised ktrdr error: the status and
 * the service are all we know, so say them.
 */
export function errorFromHttpStatus(
  status: number,
  message: string,
  options: KtrdrErrorOptions & { retryAfterMs?: number } = {},
): KtrdrError {
  const code = codeFromHttpStatus(status);
  if (code === 'host_service') return new HostServiceError(message, { ...options, status });
  if (code === 'rate_limited') return new RateLimitedError(message, options);
  return new CLASS_BY_CODE[code](message, options);
}

/**
 * Normalises anything thrown into a {@link KtrdrError}: ktrdr errors pass through, aborts become
 * {@link CancelledError} (or the abort reason when it is a ktrdr error), the rest {@link InternalError}.
 */
export function toKtrdrError(error: unknown, context = 'Unexpected error'): KtrdrError {
  if (error instanceof KtrdrError) return error;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    const reason = (error as Error & { cause?: unknown }).cause;
    if (reason instanceof KtrdrError) return reason;
    return error.name === 'TimeoutError'
      ? new ServiceTimeoutError(`${context}: timed out`, { cause: error })
      : new CancelledError(`${context}: cancelled`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`${context}: ${message}`, { cause: error });
}
