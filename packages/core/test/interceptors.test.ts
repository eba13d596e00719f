import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import {
  type CallFn,
  type Interceptor,
  ServiceTimeoutError,
  ValidationError,
  bearerAuthInterceptor,
  createInProcessTransport,
  loggingInterceptor,
  retryInterceptor,
  withInterceptors,
} from '@ktrdr/core';
import { httpTransportTo } from './support/servers';
import { createTestService } from './support/test-service';

/** A real server that answers every request with `status`, and remembers what it was sent. */
async function countingServer(status: number) {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    attempts: (path: string) => seen.filter((request) => request.url.startsWith(path)).length,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An interceptor that records when the call enters and leaves it. */
const tracing =
  (name: string, trace: string[]): Interceptor =>
  (next: CallFn) =>
  async (request, options) => {
    trace.push(`${name}>`);
    try {
      return await next(request, options);
    } finally {
      trace.push(`<${name}`);
    }
  };

describe('interceptor chain', () => {
  it('runs the first interceptor outermost: in first, out last, around the transport', async () => {
    const { implementation } = createTestService();
    const trace: string[] = [];
    const inner = createInProcessTransport(implementation);
    const recorded: Interceptor = (next) => (request, options) => {
      trace.push('transport');
      return next(request, options);
    };
    const transport = withInterceptors(inner, [tracing('a', trace), tracing('b', trace), recorded]);
    expect(await transport.call({ method: 'POST', path: '/echo', body: { text: 'hi' } })).toEqual({
      text: 'hi',
    });
    expect(trace).toEqual(['a>', 'b>', 'transport', '<b', '<a']);
    expect(transport).toMatchObject({
      kind: 'in-process',
      target: 'in-process',
      serviceName: 'test service',
    });
    expect(transport.counters().attempts).toBe(1);
    await transport.close();
    await expect(inner.call({ method: 'POST', path: '/echo', body: { text: 'x' } })).rejects.toThrow(
      /closed/,
    );
  });

  it('returns the transport itself when there is nothing to wrap it in', () => {
    const transport = createInProcessTransport(createTestService().implementation);
    expect(withInterceptors(transport, [])).toBe(transport);
  });

  it('lets an interceptor change the options the next one sees', async () => {
    const { implementation } = createTestService();
    const seen: unknown[] = [];
    const spy: Interceptor = (next) => (request, options) => {
      seen.push(options.retries);
      return next(request, options);
    };
    const transport = withInterceptors(createInProcessTransport(implementation), [
      retryInterceptor((request) => (request.path === '/echo' ? 0 : undefined)),
      spy,
    ]);
    await transport.call({ method: 'POST', path: '/echo', body: { text: 'a' } });
    await transport.call({ method: 'GET', path: '/items/1' });
    expect(seen).toEqual([0, undefined]);
  });
});

describe('retries in exactly one layer', () => {
  it('spends each call kind its own retry budget at a real server: none for calls a layer above retries', async () => {
    await using server = await countingServer(503);
    const transport = withInterceptors(httpTransportTo(server.url, { retry: { limit: 2, maxDelayMs: 1 } }), [
      retryInterceptor((request) => (request.path === '/bars' ? 0 : undefined)),
    ]);
    // A call a layer above owns: one attempt per call, even though it is idempotent.
    await expect(
      transport.call({ method: 'POST', path: '/bars', body: {} }, { idempotent: true }),
    ).rejects.toMatchObject({ code: 'host_service' });
    expect(server.attempts('/bars')).toBe(1);
    // Any other idempotent call: the transport's retries (1 + 2 attempts), inside its deadline.
    await expect(transport.call({ method: 'GET', path: '/items/1' })).rejects.toMatchObject({
      code: 'host_service',
    });
    expect(server.attempts('/items/1')).toBe(3);
    // A call that is not idempotent: never retried.
    await expect(transport.call({ method: 'POST', path: '/echo', body: {} })).rejects.toMatchObject({
      code: 'host_service',
    });
    expect(server.attempts('/echo')).toBe(1);
    expect(transport.counters()).toMatchObject({ attempts: 5, retries: 2 });
    await transport.close();
  });
});

describe('bearer auth interceptor', () => {
  it('sends the token on every attempt over HTTP, and in-process calls work without headers', async () => {
    await using server = await countingServer(503);
    const transport = withInterceptors(httpTransportTo(server.url, { retry: { limit: 1, maxDelayMs: 1 } }), [
      bearerAuthInterceptor('s3cret'),
    ]);
    await expect(transport.call({ method: 'GET', path: '/items/1' })).rejects.toBeDefined();
    expect(server.seen.map((request) => request.headers.authorization)).toEqual([
      'Bearer s3cret',
      'Bearer s3cret',
    ]);
    await transport.close();
    const local = withInterceptors(createInProcessTransport(createTestService().implementation), [
      bearerAuthInterceptor('s3cret'),
    ]);
    expect(await local.call({ method: 'POST', path: '/echo', body: { text: 'ok' } })).toEqual({ text: 'ok' });
  });

  it('is what the transport token option uses', async () => {
    await using server = await countingServer(200);
    await using transport = httpTransportTo(server.url, { token: 'tok', headers: { 'x-client': 'tests' } });
    await transport.call({ method: 'GET', path: '/items/1' });
    expect(server.seen[0]?.headers).toMatchObject({ authorization: 'Bearer tok', 'x-client': 'tests' });
  });
});

describe('logging interceptor', () => {
  it('logs one line per call with its code on failure, and never a body or a token', async () => {
    const logger = { debug: vi.fn(), warn: vi.fn() };
    const transport = withInterceptors(createInProcessTransport(createTestService().implementation), [
      loggingInterceptor(logger, 'test service'),
      bearerAuthInterceptor('s3cret'),
    ]);
    await transport.call({ method: 'POST', path: '/echo', body: { text: 'private words' } });
    await expect(
      transport.call({ method: 'POST', path: '/echo', body: { text: '' } }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      transport.call({ method: 'POST', path: '/slow', body: { ms: 5_000 } }, { timeoutMs: 20 }),
    ).rejects.toBeInstanceOf(ServiceTimeoutError);
    expect(logger.debug).toHaveBeenCalledTimes(1);
    expect(logger.debug.mock.calls[0]).toEqual([
      'test service POST /echo',
      expect.objectContaining({ service: 'test service', method: 'POST', path: '/echo', ok: true }),
    ]);
    expect(logger.warn.mock.calls.map(([, data]) => (data as { code: string }).code)).toEqual([
      'validation',
      'timeout',
    ]);
    const logged = JSON.stringify([logger.debug.mock.calls, logger.warn.mock.calls]);
    expect(logged).not.toContain('private words');
    expect(logged).not.toContain('s3cret');
  });
});
