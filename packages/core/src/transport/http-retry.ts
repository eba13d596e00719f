/** Retry policy of the HTTP transport. Only idempotent calls are retried. */
export interface HttpRetryOptions {
  /** Retries after the first attempt (default 2). */
  limit?: number;
  /** Largest backoff between attempts, in ms (default 5000); jitter applies below it. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured, in ms (default 30000); longer ones fail at once. */
  maxRetryAfterMs?: number;
}

/** A retry policy with every default filled in. @internal */
export interface RetryPolicy {
  limit: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** Statuses worth another attempt: the server may answer differently in a moment. @internal */
export const RETRY_STATUS_CODES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Statuses whose `Retry-After` header sets the wait, instead of the backoff. */
const RETRY_AFTER_STATUS_CODES: ReadonlySet<number> = new Set([429, 503]);

/** First backoff step; each retry doubles it (300 ms, 600 ms, 1.2 s...). */
const BASE_DELAY_MS = 300;

/** Fills the defaults of a retry option. @internal */
export function retryPolicy(options: HttpRetryOptions | false | undefined): RetryPolicy {
  const given = options === false ? { limit: 0 } : (options ?? {});
  return {
    limit: given.limit ?? 2,
    maxDelayMs: given.maxDelayMs ?? 5_000,
    maxRetryAfterMs: given.maxRetryAfterMs ?? 30_000,
  };
}

/**
 * How long to wait before retry number `retry` (1-based), or undefined to give up. A server's
 * `Retry-After` on 429/503 is obeyed exactly (no jitter: the server said when), unless it asks for
 * more than `maxRetryAfterMs`, in which case waiting is pointless and the call fails at once.
 * Otherwise: exponential backoff with full jitter, capped at `maxDelayMs`, so that clients that
 * failed together do not come back together.
 * @internal
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  response?: { status: number; retryAfterMs: number | undefined },
  random: () => number = Math.random,
): number | undefined {
  if (retry > policy.limit) return undefined;
  if (response !== undefined && RETRY_AFTER_STATUS_CODES.has(response.status)) {
    const after = response.retryAfterMs;
    if (after !== undefined) return after > policy.maxRetryAfterMs ? undefined : after;
  }
  return Math.min(policy.maxDelayMs, random() * BASE_DELAY_MS * 2 ** (retry - 1));
}
