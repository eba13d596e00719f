import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import {
  CancelledError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceConfigurationError,
  ServiceConnectionError,
  ServiceTimeoutError,
  ValidationError,
  createHttpTransport,
  createRequestListener,
  createServiceClient,
} from '@ktrdr/core';
import { httpTransportTo, refusedUrl, startTestServer } from './support/servers';
import { createTestService, testContract } from './support/test-service';

describe('HTTP transport against a real server', () => {
  it('names the service, its URL and the variable to check when the port refuses connections', async () => {
    const url = await refusedUrl();
    await using transport = httpTransportTo(url, { urlVariable: 'IB_HOST_SERVICE_URL' });
    const error = await transport.call({ method: 'GET', path: '/items/1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceConnectionError);
    const connection = error as ServiceConnectionError;
    expect(connection.message).toContain('test service');
    expect(connection.message).toContain(url);
    expect(connection.message).toContain('IB_HOST_SERVICE_URL');
    expect(connection.details).toMatchObject({
      service: 'test service',
      url: `${url}/items/1`,
      code: 'ECONNREFUSED',
    });
  });

  it('retries a refused idempotent call before giving up, and never a non-idempotent one', async () => {
    const url = await refusedUrl();
    await using transport = httpTransportTo(url, { retry: { limit: 2, maxDelayMs: 1 } });
    await expect(transport.call({ method: 'GET', path: '/items/1' })).rejects.toBeInstanceOf(
      ServiceConnectionError,
    );
    expect(transport.counters()).toMatchObject({ attempts: 3, retries: 2 });
    await expect(transport.call({ method: 'POST', path: '/echo', body: {} })).rejects.toBeInstanceOf(
      ServiceConnectionError,
    );
    expect(transport.counters()).toMatchObject({ attempts: 4, retries: 2 });
  });

  it('makes one attempt when the call says a layer above owns its retries', async () => {
    const url = await refusedUrl();
    await using transport = httpTransportTo(url, { retry: { limit: 2, maxDelayMs: 1 } });
    await expect(transport.call({ method: 'GET', path: '/items/1' }, { retries: 0 })).rejects.toBeInstanceOf(
      ServiceConnectionError,
    );
    expect(transport.counters()).toMatchObject({ attempts: 1, retries: 0 });
  });

  it('names the setting to raise when a call outlives its deadline', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url, {
      deadlineMs: 100,
      deadlineVariable: 'IB_HOST_SERVICE_TIMEOUT',
    });
    const error = await transport
      .call({ method: 'POST', path: '/slow', body: { ms: 60_000 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).message).toContain('within its 100 ms deadline');
    expect((error as ServiceTimeoutError).message).toContain('raise IB_HOST_SERVICE_TIMEOUT');
  });

  it('sends N sequential calls over exactly one socket', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const client = createServiceClient(testContract, transport);
    for (let i = 0; i < 25; i++)
      expect(await client.echo({ text: `call ${i}` })).toEqual({ text: `call ${i}` });
    expect(service.connections()).toBe(1);
    // A second transport is a second pool, so a second connection: the "new client per call" cost.
    await using other = httpTransportTo(service.url);
    await createServiceClient(testContract, other).echo({ text: 'x' });
    expect(service.connections()).toBe(2);
  });

  it('caps the pool at its connection limit under concurrent calls', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url, { connections: 2 });
    const client = createServiceClient(testContract, transport);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => client.slow({ ms: 20 + i })));
    expect(results.map((r) => r.slept)).toEqual([20, 21, 22, 23, 24, 25]);
    expect(service.connections()).toBe(2);
  });

  it('keeps a busy socket open past the idle keep-alive timeout', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url, { keepAliveTimeoutMs: 20 });
    expect(await transport.call({ method: 'POST', path: '/slow', body: { ms: 150 } })).toEqual({
      slept: 150,
    });
  });

  it('closes a socket left idle past the keep-alive timeout, and reconnects for the next call', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url, { keepAliveTimeoutMs: 50 });
    const client = createServiceClient(testContract, transport);
    await client.echo({ text: 'first' });
    await client.echo({ text: 'second' });
    expect(service.connections()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await client.echo({ text: 'after idle' })).toEqual({ text: 'after idle' });
    expect(service.connections()).toBe(2);
  });

  it('counts attempts and bytes both ways', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    await createServiceClient(testContract, transport).echo({ text: 'hello' });
    const counters = transport.counters();
    expect(counters.attempts).toBe(1);
    expect(counters.bytesSent).toBe(Buffer.byteLength(JSON.stringify({ text: 'hello' })));
    expect(counters.bytesReceived).toBe(Buffer.byteLength(JSON.stringify({ text: 'hello' })));
  });

  it('stops the work on the serving side when the caller aborts mid-request', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const controller = new AbortController();
    const call = transport.call(
      { method: 'POST', path: '/slow', body: { ms: 60_000 } },
      { signal: controller.signal },
    );
    await vi.waitFor(() => expect(service.probe.started).toBe(1));
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toContain('/slow');
    expect(await service.probe.aborted).toBeInstanceOf(CancelledError);
    expect(service.probe.finished).toBe(0);
  });

  it('rejects at once when the signal is already aborted, without sending anything', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const error = await transport
      .call(
        { method: 'POST', path: '/slow', body: { ms: 0 } },
        { signal: AbortSignal.abort(new Error('not now')) },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(service.probe.started).toBe(0);
  });

  it('times out an attempt, and the serving side stops too', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url, { timeoutMs: 100 });
    const error = await transport
      .call({ method: 'POST', path: '/slow', body: { ms: 60_000 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).details).toMatchObject({ timeoutMs: 100 });
    expect(await service.probe.aborted).toBeInstanceOf(CancelledError);
  });

  it('ends the call at its total deadline even while retries remain', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url, {
      timeoutMs: 60,
      retry: { limit: 100, maxDelayMs: 1 },
    });
    const error = await transport
      .call({ method: 'POST', path: '/slow', body: { ms: 60_000 } }, { idempotent: true, deadlineMs: 400 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).message).toContain('400 ms deadline');
    expect(transport.counters().retries).toBeGreaterThan(0);
    expect(transport.counters().attempts).toBeLessThan(101);
  });

  it('streams progress frames, then the result', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const progress: unknown[] = [];
    const result = await createServiceClient(testContract, transport).progress(
      { steps: 3 },
      { onProgress: (p) => progress.push(p) },
    );
    expect(result).toEqual({ done: true, steps: 3 });
    expect(progress).toEqual([
      { step: 1, of: 3 },
      { step: 2, of: 3 },
      { step: 3, of: 3 },
    ]);
  });

  it('answers plain JSON to a caller that did not ask for progress', async () => {
    await using service = await startTestServer();
    const response = await fetch(`${service.url}/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ steps: 2 }),
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ done: true, steps: 2 });
  });

  it('rebuilds an error raised after progress started as its own class', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const progress: unknown[] = [];
    const error = await createServiceClient(testContract, transport)
      .progress({ steps: 5, failAt: 2 }, { onProgress: (p) => progress.push(p) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).details).toEqual({ step: 2 });
    expect(progress).toHaveLength(2);
  });

  it('refuses a body over the limit with 413', async () => {
    await using service = await startTestServer({ bodyLimitBytes: 64 });
    await using transport = httpTransportTo(service.url);
    const error = await transport
      .call({ method: 'POST', path: '/echo', body: { text: 'x'.repeat(100_000) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).details).toEqual({ limitBytes: 64 });
    // The pool recovers: the next call works.
    expect(await transport.call({ method: 'POST', path: '/echo', body: { text: 'ok' } })).toEqual({
      text: 'ok',
    });
  });

  it('answers an unknown route with a 404 JSON error', async () => {
    await using service = await startTestServer();
    const response = await fetch(`${service.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({
      success: false,
      error: { code: 'not_found', name: 'NotFoundError' },
    });
    await using transport = httpTransportTo(service.url);
    await expect(transport.call({ method: 'GET', path: '/nowhere' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('passes path parameters that need encoding through intact', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const client = createServiceClient(testContract, transport);
    expect(await client.item({ id: 'EUR/USD 1h' })).toEqual({ id: 'EUR/USD 1h', verbose: false });
    expect(await client.remove({ id: 'a?b#c' })).toEqual({ deleted: 'a?b#c' });
  });

  it('coerces GET query strings through the input schema', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const client = createServiceClient(testContract, transport);
    expect(await client.search({ q: 'spy', limit: 5 })).toEqual({ q: 'spy', limit: 5, tags: null });
    expect(await client.item({ id: '7', verbose: 'true' })).toEqual({ id: '7', verbose: true });
    const error = await transport
      .call({ method: 'GET', path: '/search', query: { q: 'spy', limit: 'many' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details['field']).toBe('limit');
  });

  it('refuses calls once closed, and close is idempotent', async () => {
    await using service = await startTestServer();
    const transport = httpTransportTo(service.url);
    await transport.close();
    await transport.close();
    await expect(transport.call({ method: 'GET', path: '/items/1' })).rejects.toBeInstanceOf(
      ServiceConnectionError,
    );
  });

  it('reports a base URL without a scheme as a configuration error naming the variable', () => {
    const build = () =>
      createHttpTransport({
        baseUrl: 'localhost:8001',
        serviceName: 'IB host service',
        urlVariable: 'IB_HOST_SERVICE_URL',
      });
    expect(build).toThrow(ServiceConfigurationError);
    expect(build).toThrow(/IB_HOST_SERVICE_URL.*http:\/\//);
    expect(() => createHttpTransport({ baseUrl: 'not a url', serviceName: 'svc' })).toThrow(
      /Invalid URL "not a url" for svc \(baseUrl\)/,
    );
  });

  it('keeps a base path prefix and sends the token and extra headers', async () => {
    const { implementation } = createTestService();
    const listener = createRequestListener(implementation);
    const seen: Record<string, string | undefined>[] = [];
    const server = createServer((req, res) => {
      seen.push({
        url: req.url,
        authorization: req.headers.authorization,
        client: req.headers['x-client'] as string,
      });
      req.url = (req.url ?? '').replace(/^\/api\/v1/, '');
      listener(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await using transport = httpTransportTo(`http://127.0.0.1:${port}/api/v1/`, {
        token: 'secret',
        headers: { 'x-client': 'tests' },
      });
      expect(await transport.call({ method: 'GET', path: '/items/9' })).toEqual({ id: '9', verbose: false });
      expect(seen).toEqual([{ url: '/api/v1/items/9', authorization: 'Bearer secret', client: 'tests' }]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
