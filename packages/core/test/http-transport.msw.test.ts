import { HttpResponse, delay, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  HostServiceError,
  NDJSON_CONTENT_TYPE,
  NotFoundError,
  RateLimitedError,
  ServiceTimeoutError,
  createHttpTransport,
} from '@ktrdr/core';

const BASE = 'http://svc.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A transport whose backoff is tiny, so retries cost no test time. */
function transport(
  options: Parameters<typeof createHttpTransport>[0] extends infer O ? Partial<O> : never = {},
) {
  return createHttpTransport({
    baseUrl: BASE,
    serviceName: 'svc',
    retry: { limit: 2, maxDelayMs: 5 },
    ...options,
  });
}

/** Answers with each of `responses` in turn, then keeps repeating the last. */
function sequence(...responses: (() => Response | Promise<Response>)[]) {
  let calls = 0;
  return {
    calls: () => calls,
    resolver: () => {
      const next = responses[Math.min(calls, responses.length - 1)]!;
      calls++;
      return next();
    },
  };
}

const ktrdrError = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  HttpResponse.json({ success: false, error }, { status, headers });

describe('HTTP transport edge cases (msw)', () => {
  it('waits out a 429 with Retry-After, then succeeds', async () => {
    const answers = sequence(
      () =>
        ktrdrError(
          429,
          { name: 'RateLimitedError', code: 'rate_limited', message: 'slow down' },
          { 'retry-after': '0' },
        ),
      () => HttpResponse.json({ ok: true }),
    );
    server.use(http.get(`${BASE}/bars`, answers.resolver));
    const t = transport();
    expect(await t.call({ method: 'GET', path: '/bars' })).toEqual({ ok: true });
    expect(answers.calls()).toBe(2);
    expect(t.counters()).toMatchObject({ attempts: 2, retries: 1 });
  });

  it('fails at once when Retry-After asks for longer than it will wait, keeping the wait in the error', async () => {
    server.use(
      http.get(
        `${BASE}/bars`,
        () => new HttpResponse('busy', { status: 429, headers: { 'retry-after': '120' } }),
      ),
    );
    const t = transport({ retry: { limit: 5, maxRetryAfterMs: 10_000 } });
    const error = await t.call({ method: 'GET', path: '/bars' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(120_000);
    expect(t.counters().attempts).toBe(1);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const when = new Date(Date.now() + 60_000).toUTCString();
    server.use(
      http.post(
        `${BASE}/bars`,
        () => new HttpResponse(null, { status: 429, headers: { 'retry-after': when } }),
      ),
    );
    const error = await transport()
      .call({ method: 'POST', path: '/bars', body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(50_000);
    expect((error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('takes retryAfterMs from the header when a ktrdr rate-limit body lacks it', async () => {
    server.use(
      http.post(`${BASE}/bars`, () =>
        ktrdrError(
          429,
          { name: 'RateLimitedError', code: 'rate_limited', message: 'pacing', details: { id: 1 } },
          { 'retry-after': '3' },
        ),
      ),
    );
    const error = await transport()
      .call({ method: 'POST', path: '/bars', body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 3000, message: 'pacing', details: { id: 1 } });
  });

  it('retries a 503 with backoff, then succeeds', async () => {
    const answers = sequence(
      () => new HttpResponse('unavailable', { status: 503 }),
      () => new HttpResponse('unavailable', { status: 503 }),
      () => HttpResponse.json({ n: 3 }),
    );
    server.use(http.get(`${BASE}/status`, answers.resolver));
    const t = transport();
    expect(await t.call({ method: 'GET', path: '/status' })).toEqual({ n: 3 });
    expect(t.counters()).toMatchObject({ attempts: 3, retries: 2 });
  });

  it('retries only idempotent calls', async () => {
    const post = sequence(
      () => new HttpResponse('unavailable', { status: 503 }),
      () => HttpResponse.json({ ok: 1 }),
    );
    server.use(http.post(`${BASE}/orders`, post.resolver));
    const t = transport();
    const error = await t
      .call({ method: 'POST', path: '/orders', body: { qty: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect((error as HostServiceError).status).toBe(503);
    expect(post.calls()).toBe(1);
    // The same call declared idempotent is retried.
    expect(await t.call({ method: 'POST', path: '/orders', body: { qty: 1 } }, { idempotent: true })).toEqual(
      { ok: 1 },
    );
    expect(post.calls()).toBe(2);
  });

  it('gives up after the retry limit with the last error', async () => {
    const answers = sequence(() => new HttpResponse('down', { status: 502 }));
    server.use(http.get(`${BASE}/status`, answers.resolver));
    const error = await transport({ retry: { limit: 3, maxDelayMs: 1 } })
      .call({ method: 'GET', path: '/status' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect(answers.calls()).toBe(4);
  });

  it('does not retry a client error', async () => {
    const answers = sequence(() =>
      ktrdrError(409, { name: 'ConflictError', code: 'conflict', message: 'busy session' }),
    );
    server.use(http.get(`${BASE}/session`, answers.resolver));
    const error = await transport()
      .call({ method: 'GET', path: '/session' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe('busy session');
    expect(answers.calls()).toBe(1);
  });

  it('reports a malformed JSON body as a host-service error showing its start', async () => {
    server.use(
      http.get(
        `${BASE}/bars`,
        () => new HttpResponse('{"bars": [1, 2', { headers: { 'content-type': 'application/json' } }),
      ),
    );
    const error = await transport()
      .call({ method: 'GET', path: '/bars' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect(error).toMatchObject({
      status: 200,
      details: { bodyStart: '{"bars": [1, 2', url: `${BASE}/bars` },
    });
    expect((error as HostServiceError).message).toContain('malformed JSON');
  });

  it('resolves an empty 2xx body as undefined', async () => {
    server.use(http.delete(`${BASE}/items/1`, () => new HttpResponse(null, { status: 204 })));
    expect(await transport().call({ method: 'DELETE', path: '/items/1' })).toBeUndefined();
  });

  it('times out a slow response after the per-attempt timeout, retrying idempotent calls', async () => {
    const answers = sequence(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    server.use(http.get(`${BASE}/slow`, answers.resolver));
    const t = transport({ timeoutMs: 30 });
    const error = await t.call({ method: 'GET', path: '/slow' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).message).toBe(`svc did not answer GET ${BASE}/slow within 30 ms`);
    expect(answers.calls()).toBe(3);
  });

  it('lets a per-call timeout override the transport default', async () => {
    server.use(
      http.post(`${BASE}/slow`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const error = await transport({ timeoutMs: 60_000 })
      .call({ method: 'POST', path: '/slow', body: {} }, { timeoutMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).details).toMatchObject({ timeoutMs: 20 });
  });

  it('ends at the total deadline across slow attempts', async () => {
    server.use(
      http.get(`${BASE}/slow`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const t = transport({ timeoutMs: 60_000, deadlineMs: 50 });
    const error = await t.call({ method: 'GET', path: '/slow' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).details).toMatchObject({ deadlineMs: 50 });
    expect(t.counters().attempts).toBe(1);
  });

  it('cuts a Retry-After wait short at the total deadline', async () => {
    server.use(
      http.get(
        `${BASE}/busy`,
        () => new HttpResponse('busy', { status: 503, headers: { 'retry-after': '20' } }),
      ),
    );
    const t = transport({ deadlineMs: 50 });
    const error = await t.call({ method: 'GET', path: '/busy' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).message).toBe(
      `svc did not complete GET ${BASE}/busy within its 50 ms deadline. Is it hung or overloaded? Check or restart it, or raise its deadline.`,
    );
    expect(t.counters()).toMatchObject({ attempts: 1, retries: 1 });
  });

  it('reports the caller cancelling during a backoff wait as a cancellation of the call', async () => {
    server.use(
      http.get(
        `${BASE}/busy`,
        () => new HttpResponse('busy', { status: 503, headers: { 'retry-after': '20' } }),
      ),
    );
    const controller = new AbortController();
    const call = transport().call({ method: 'GET', path: '/busy' }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cancelled', message: `GET ${BASE}/busy to svc was cancelled` });
  });

  it('reports a request Node refuses to send as a host-service error naming the call', async () => {
    const error = await transport({ headers: { 'x-bad': 'line\nbreak' } })
      .call({ method: 'GET', path: '/bars' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect(error).toMatchObject({ status: 0, details: { service: 'svc', url: `${BASE}/bars` } });
    expect((error as HostServiceError).message).toMatch(/^svc request GET http:\/\/svc\.test\/bars failed: /);
  });

  it('maps a non-ktrdr 500 page to a host-service error with its status', async () => {
    server.use(
      http.post(
        `${BASE}/train`,
        () => new HttpResponse('<html>oops</html>', { status: 500, statusText: 'Internal Server Error' }),
      ),
    );
    const error = await transport()
      .call({ method: 'POST', path: '/train', body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect(error).toMatchObject({
      status: 500,
      code: 'host_service',
      details: { service: 'svc', status: 500 },
    });
    expect((error as HostServiceError).message).toBe(
      `svc answered 500 Internal Server Error to POST ${BASE}/train`,
    );
  });

  it('maps a non-ktrdr 404 to NotFoundError and keeps where it happened', async () => {
    server.use(http.get(`${BASE}/missing`, () => new HttpResponse('Not Found', { status: 404 })));
    const error = await transport()
      .call({ method: 'GET', path: '/missing' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).details).toEqual({ service: 'svc', url: `${BASE}/missing`, status: 404 });
  });

  it('reports a progress stream that ends without a result', async () => {
    const frame = JSON.stringify({ type: 'progress', progress: { p: 1 } });
    server.use(
      http.post(
        `${BASE}/load`,
        () => new HttpResponse(`${frame}\n`, { headers: { 'content-type': NDJSON_CONTENT_TYPE } }),
      ),
    );
    const progress: unknown[] = [];
    const error = await transport()
      .call({ method: 'POST', path: '/load', body: {} }, { onProgress: (p) => progress.push(p) })
      .catch((e: unknown) => e);
    expect(progress).toEqual([{ p: 1 }]);
    expect(error).toBeInstanceOf(HostServiceError);
    expect((error as HostServiceError).message).toContain('without a result');
  });

  it('reports a progress stream with a line that is not JSON', async () => {
    server.use(
      http.post(
        `${BASE}/load`,
        () => new HttpResponse('{"type":"progress"\n', { headers: { 'content-type': NDJSON_CONTENT_TYPE } }),
      ),
    );
    const error = await transport()
      .call({ method: 'POST', path: '/load', body: {} }, { onProgress: () => undefined })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect((error as HostServiceError).message).toContain('malformed progress stream');
  });

  it('reads a final result frame split across chunks', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('{"type":"progress","progress":1}\n{"type":"res'));
        controller.enqueue(encoder.encode('ult","result":{"rows":2}}'));
        controller.close();
      },
    });
    server.use(
      http.post(
        `${BASE}/load`,
        () => new HttpResponse(body, { headers: { 'content-type': NDJSON_CONTENT_TYPE } }),
      ),
    );
    const progress: unknown[] = [];
    const t = transport();
    const result = await t.call(
      { method: 'POST', path: '/load', body: {} },
      { onProgress: (p) => progress.push(p) },
    );
    expect(result).toEqual({ rows: 2 });
    expect(progress).toEqual([1]);
    expect(t.counters().bytesReceived).toBeGreaterThan(50);
  });
});
