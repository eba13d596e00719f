import type { HTTPError, TimeoutError } from 'ky';

// ky's own guards check the error's name too; these avoid importing ky before a call needs it.

/** A ky `HTTPError`: the server answered with an error status. @internal */
export function isHTTPError(error: unknown): error is HTTPError {
  return error instanceof Error && error.name === 'HTTPError' && 'response' in error;
}

/** A ky `TimeoutError`: an attempt ran past its timeout. @internal */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return error instanceof Error && error.name === 'TimeoutError' && 'request' in error;
}
