import { type ErrorCode, isErrorCode, toKtrdrError } from '@ktrdr/core';

/**
 * How a job's failure is written into BullMQ's `failedReason`: `<error code>: <message>`. The code
 * crosses the process boundary, so the API shows the same `error_code` (and a client rebuilds the
 * same error class) as when the operation ran in-process; `cancelled` makes the status `cancelled`.
 */
export function encodeFailure(error: unknown): string {
  const ktrdr = toKtrdrError(error, 'Job failed');
  return `${ktrdr.code}: ${ktrdr.message}`;
}

/** The code and message of a `failedReason` written by {@link encodeFailure} (else `internal`). */
export function decodeFailure(reason: string | undefined): { code: ErrorCode; message: string } {
  const match = /^([a-z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (match !== null && isErrorCode(match[1])) return { code: match[1], message: match[2] ?? '' };
  // BullMQ's own reasons ("job stalled more than allowable limit", a lost lock...).
  return { code: 'internal', message: reason ?? 'Job failed' };
}
