import type { RetryOptions } from 'ky';
import { isHTTPError, isTimeoutError } from './ky-errors';
import { isConnectionFailure, parseRetryAfter } from './http-error-mapping';

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

/** Statuses worth another attempt: the server may answer differently in a moment. */
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];

/** Statuses whose `Retry-After` header sets the wait, instead of the backoff. */
const RETRY_AFTER_STATUS_CODES = [429, 503];

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
 * The policy as ky's retry options, less the per-call `limit` and `shouldRetry`. ky does the
 * waiting: a server's `Retry-After` on 429/503 is obeyed exactly (no jitter: the server said
 * when); otherwise exponential backoff with full jitter, capped at `maxDelayMs`, so that clients
 * that failed together do not come back together. Methods are all allowed here: whether a call is
 * idempotent is the caller's to say, through the per-call limit.
 * @internal
 */
export function kyRetryOptions(policy: RetryPolicy): RetryOptions {
  return {
    methods: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'],
    statusCodes: RETRY_STATUS_CODES,
    afterStatusCodes: RETRY_AFTER_STATUS_CODES,
    maxRetryAfter: policy.maxRetryAfterMs,
    backoffLimit: policy.maxDelayMs,
    delay: (attempt) => BASE_DELAY_MS * 2 ** (attempt - 1),
    jitter: true,
    retryOnTimeout: true,
  };
}

/**
 * Whether another attempt may help after `error`: `false` vetoes the retry; `undefined` leaves ky's
 * own rules to retry it (status codes, `Retry-After`, backoff), which they then always do. Vetoed:
 * statuses a retry will not change, a `Retry-After` longer than the policy waits (ky would wait
 * less than the server asked, so the call fails at once, the wait kept in its error), and failures
 * other than an attempt timeout or a refused or reset connection (a malformed request, say).
 * @internal
 */
export function retryVerdict(error: unknown, policy: RetryPolicy): false | undefined {
  if (isHTTPError(error)) {
    const { status, headers } = error.response;
    if (!RETRY_STATUS_CODES.includes(status)) return false;
    if (RETRY_AFTER_STATUS_CODES.includes(status)) {
      const after = parseRetryAfter(headers.get('retry-after'));
      if (after !== undefined && after > policy.maxRetryAfterMs) return false;
    }
    return undefined;
  }
  return isTimeoutError(error) || isConnectionFailure(error) ? undefined : false;
}
