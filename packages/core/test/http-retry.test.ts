import { HTTPError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/transport/http-error-mapping';
import { kyRetryOptions, retryPolicy, retryVerdict } from '../src/transport/http-retry';

/** The error ky throws for an answer with `status` (and a `Retry-After` header when given). */
function httpError(status: number, retryAfter?: string): HTTPError {
  const headers = retryAfter === undefined ? undefined : { 'retry-after': retryAfter };
  const request = new Request('http://svc.test/x');
  return new HTTPError(new Response(null, { status, headers }), request, {} as never);
}

const refused = () =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });

describe('retry policy', () => {
  it('fills defaults, and false means no retries', () => {
    expect(retryPolicy(undefined)).toEqual({ limit: 2, maxDelayMs: 5000, maxRetryAfterMs: 30_000 });
    expect(retryPolicy(false).limit).toBe(0);
    expect(retryPolicy({ limit: 5 })).toEqual({ limit: 5, maxDelayMs: 5000, maxRetryAfterMs: 30_000 });
  });

  it('has ky back off exponentially from 300 ms with full jitter, capped, and honour Retry-After on 429/503', () => {
    const options = kyRetryOptions(retryPolicy({ maxDelayMs: 1000, maxRetryAfterMs: 10_000 }));
    expect([1, 2, 3, 4].map((attempt) => options.delay?.(attempt))).toEqual([300, 600, 1200, 2400]);
    expect(options).toMatchObject({
      backoffLimit: 1000,
      jitter: true,
      maxRetryAfter: 10_000,
      retryOnTimeout: true,
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [429, 503],
    });
    // Whether a call may be retried is its per-call limit's business, not its method's.
    expect(options.methods).toEqual(expect.arrayContaining(['get', 'post', 'put', 'patch', 'delete']));
  });

  it('leaves transient failures to ky: retryable statuses, attempt timeouts, refused connections', () => {
    const policy = retryPolicy({});
    for (const status of [408, 429, 500, 502, 503, 504])
      expect(retryVerdict(httpError(status), policy)).toBeUndefined();
    expect(retryVerdict(httpError(503, '5'), policy)).toBeUndefined();
    expect(retryVerdict(new TimeoutError(new Request('http://svc.test/x')), policy)).toBeUndefined();
    expect(retryVerdict(refused(), policy)).toBeUndefined();
  });

  it('vetoes what a retry will not change, and Retry-After waits longer than allowed', () => {
    const policy = retryPolicy({ maxRetryAfterMs: 10_000 });
    for (const status of [400, 404, 409, 413, 422, 501])
      expect(retryVerdict(httpError(status), policy)).toBe(false);
    expect(retryVerdict(httpError(429, '60'), policy)).toBe(false);
    expect(retryVerdict(httpError(503, new Date(Date.now() + 60_000).toUTCString()), policy)).toBe(false);
    // Other statuses back off normally whatever the header says.
    expect(retryVerdict(httpError(502, '60'), policy)).toBeUndefined();
    expect(retryVerdict(new TypeError('Headers.append: invalid header value'), policy)).toBe(false);
    expect(retryVerdict(new Error('boom'), policy)).toBe(false);
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
