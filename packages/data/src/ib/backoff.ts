import { CancelledError, isKtrdrError } from '@ktrdr/core';

/** Exponential backoff settings. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  initialDelayMs: number;
  /** Upper bound of any single delay, in milliseconds. */
  maxDelayMs: number;
  /** Growth factor per attempt (2 doubles the delay each time). */
  factor?: number;
  /**
   * Fraction of the delay randomised away, 0..1. Jitter spreads the reconnects of many clients so
   * that they do not hit a restarting gateway in lockstep (rapid connect bursts wedge IB Gateway).
   */
  jitter?: number;
}

/**
 * Delay before retry number `attempt` (1-based): `initial * factor^(attempt-1)`, capped at
 * `maxDelayMs`, then reduced by up to `jitter` of itself. `random` is injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
  const raw = Math.min(options.maxDelayMs, options.initialDelayMs * factor ** Math.max(0, attempt - 1));
  return Math.round(raw * (1 - jitter * random()));
}

/**
 * The error for an aborted `signal`: its reason when that is already a ktrdr error (a caller's own
 * timeout), otherwise a {@link CancelledError} that says what was cancelled.
 */
export function abortError(signal: AbortSignal | undefined, what: string): Error {
  const reason: unknown = signal?.reason;
  if (isKtrdrError(reason)) return reason;
  return new CancelledError(`${what} cancelled: the caller's AbortSignal fired`, { cause: reason });
}
