import { describe, expect, it } from 'vitest';
import { retryDelayMs, retryPolicy } from '../src/transport/http-retry';
import { parseRetryAfter } from '../src/transport/http-error-mapping';

describe('retry policy', () => {
  it('fills defaults, and false means no retries', () => {
    expect(retryPolicy(undefined)).toEqual({ limit: 2, maxDelayMs: 5000, maxRetryAfterMs: 30_000 });
    expect(retryPolicy(false).limit).toBe(0);
    expect(retryPolicy({ limit: 5 })).toEqual({ limit: 5, maxDelayMs: 5000, maxRetryAfterMs: 30_000 });
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = retryPolicy({ limit: 10, maxDelayMs: 1000 });
    const top = () => 0.999_999;
    expect(retryDelayMs(policy, 1, undefined, top)).toBeCloseTo(300, 0);
    expect(retryDelayMs(policy, 2, undefined, top)).toBeCloseTo(600, 0);
    expect(retryDelayMs(policy, 3, undefined, top)).toBe(1000);
    expect(retryDelayMs(policy, 2, undefined, () => 0.5)).toBe(300);
    expect(retryDelayMs(policy, 2, undefined, () => 0)).toBe(0);
  });

  it('gives up past the limit', () => {
    const policy = retryPolicy({ limit: 2 });
    expect(retryDelayMs(policy, 2)).toBeDefined();
    expect(retryDelayMs(policy, 3)).toBeUndefined();
  });

  it('obeys Retry-After on 429 and 503 exactly, and refuses waits longer than allowed', () => {
    const policy = retryPolicy({ maxRetryAfterMs: 10_000 });
    expect(retryDelayMs(policy, 1, { status: 429, retryAfterMs: 4000 }, () => 0)).toBe(4000);
    expect(retryDelayMs(policy, 1, { status: 503, retryAfterMs: 0 }, () => 0.9)).toBe(0);
    expect(retryDelayMs(policy, 1, { status: 429, retryAfterMs: 60_000 })).toBeUndefined();
    // Other statuses back off normally whatever the header says.
    expect(retryDelayMs(policy, 1, { status: 502, retryAfterMs: 60_000 }, () => 0.5)).toBe(150);
    expect(retryDelayMs(policy, 1, { status: 429, retryAfterMs: undefined }, () => 0.5)).toBe(150);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-02T03:04:05Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('-3', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
