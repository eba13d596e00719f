import type { ErrorCode } from './codes';
import { KtrdrError, type KtrdrErrorOptions, type SerializedKtrdrError } from './ktrdr-error';

/** A service (host service, IB Gateway, backend API) could not be reached. Usually: start it, or fix its URL. */
export class ServiceConnectionError extends KtrdrError {
  static override readonly code: ErrorCode = 'connection_failed';
}

/** A call ran past its per-attempt timeout or its total deadline. */
export class ServiceTimeoutError extends KtrdrError {
  static override readonly code: ErrorCode = 'timeout';
}

/** Configuration (options or environment) is invalid; `details.variable` names the culprit. */
export class ServiceConfigurationError extends KtrdrError {
  static override readonly code: ErrorCode = 'configuration';
}

/** Input was rejected; `details.field` names the field when one is to blame. */
export class ValidationError extends KtrdrError {
  static override readonly code: ErrorCode = 'validation';
}

/** A request carried no valid credentials (bearer token). */
export class UnauthorizedError extends KtrdrError {
  static override readonly code: ErrorCode = 'unauthorized';
}

/** The thing asked for (operation, model, session, route) does not exist. */
export class NotFoundError extends KtrdrError {
  static override readonly code: ErrorCode = 'not_found';
}

/** The broker knows no instrument by that symbol (IB error 200). */
export class UnknownSymbolError extends NotFoundError {
  static override readonly code: ErrorCode = 'unknown_symbol';
}

/** The request conflicts with current state (a busy session, a limit reached). */
export class ConflictError extends KtrdrError {
  static override readonly code: ErrorCode = 'conflict';
}

/** A request body exceeded the configured size limit. */
export class PayloadTooLargeError extends KtrdrError {
  static override readonly code: ErrorCode = 'payload_too_large';
}

/** The work was cancelled (an `AbortSignal` fired, or a cancel was requested). */
export class CancelledError extends KtrdrError {
  static override readonly code: ErrorCode = 'cancelled';
}

/** The source has no data for the request (IB error 162 "no data"). */
export class DataUnavailableError extends KtrdrError {
  static override readonly code: ErrorCode = 'data_unavailable';
}

/** Options of {@link RateLimitedError}. */
export interface RateLimitedErrorOptions extends KtrdrErrorOptions {
  /** How long to wait before trying again, in milliseconds. */
  retryAfterMs?: number;
}

/** Too many requests (HTTP 429, IB pacing violation); wait `retryAfterMs` before retrying. */
export class RateLimitedError extends KtrdrError {
  static override readonly code: ErrorCode = 'rate_limited';
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: RateLimitedErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }

  override toJSON(): SerializedKtrdrError {
    const json = super.toJSON();
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}

/** Options of {@link HostServiceError}. */
export interface HostServiceErrorOptions extends KtrdrErrorOptions {
  /** HTTP status the host service answered with. */
  status: number;
}

/** A host service answered with an error that carried no ktrdr error body (a 5xx page, a proxy error). */
export class HostServiceError extends KtrdrError {
  static override readonly code: ErrorCode = 'host_service';
  readonly status: number;

  constructor(message: string, options: HostServiceErrorOptions) {
    super(message, options);
    this.status = options.status;
  }

  override toJSON(): SerializedKtrdrError {
    return { ...super.toJSON(), status: this.status };
  }
}

/** An unexpected failure inside ktrdr; the message says what was being done. */
export class InternalError extends KtrdrError {
  static override readonly code: ErrorCode = 'internal';
}
