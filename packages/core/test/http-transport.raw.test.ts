import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { CancelledError, HostServiceError, NDJSON_CONTENT_TYPE, ServiceTimeoutError } from '@ktrdr/core';
import { httpTransportTo } from './support/servers';

/** A raw loopback server whose answers the test writes by hand; `await using` closes it. */
async function rawServer(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const frame = (value: object) => `${JSON.stringify(value)}\n`;

describe('HTTP transport against hand-written answers', () => {
  it('times out a plain answer whose body stalls after its head, and retries it', async () => {
    await using service = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    // 400 ms, not less: the server shares this process's event loop, and on a loaded machine a
    // shorter attempt can time out before the server has even seen the retried request.
    await using transport = httpTransportTo(service.url, {
      timeoutMs: 400,
      retry: { limit: 1, maxDelayMs: 1 },
    });
    const error = await transport.call({ method: 'GET', path: '/stalls' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).details).toMatchObject({ timeoutMs: 400 });
    expect(service.requests).toHaveLength(2);
    expect(transport.counters()).toMatchObject({ attempts: 2, retries: 1 });
  });

  it('lets a progress stream run past the per-attempt timeout once it has started', async () => {
    await using service = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE });
      let step = 0;
      const timer = setInterval(() => {
        step++;
        if (step <= 4) res.write(frame({ type: 'progress', progress: step }));
        else {
          clearInterval(timer);
          res.end(frame({ type: 'result', result: { steps: 4 } }));
        }
      }, 60);
    });
    await using transport = httpTransportTo(service.url, { timeoutMs: 100 });
    const progress: unknown[] = [];
    const result = await transport.call(
      { method: 'POST', path: '/load', body: {} },
      { onProgress: (p) => progress.push(p) },
    );
    expect(result).toEqual({ steps: 4 });
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('tears the connection down when the caller aborts a running progress stream', async () => {
    let closed = false;
    await using service = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE });
      res.write(frame({ type: 'progress', progress: 1 }));
      res.on('close', () => (closed = true));
    });
    await using transport = httpTransportTo(service.url);
    const controller = new AbortController();
    const call = transport.call(
      { method: 'POST', path: '/load', body: {} },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('ends a progress stream at the total deadline, naming it', async () => {
    await using service = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE });
      res.write(frame({ type: 'progress', progress: 1 }));
    });
    await using transport = httpTransportTo(service.url, { timeoutMs: 60_000 });
    const error = await transport
      .call({ method: 'POST', path: '/load', body: {} }, { deadlineMs: 150, onProgress: () => undefined })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).message).toContain('150 ms deadline');
  });

  it('does not follow a redirect, reporting it instead', async () => {
    await using service = await rawServer((req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"followed":true}');
    });
    await using transport = httpTransportTo(service.url, { token: 'secret' });
    const error = await transport.call({ method: 'POST', path: '/moved', body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: `test service answered 302 Found to POST ${service.url}/moved`,
      details: { status: 302, url: `${service.url}/moved` },
    });
    expect(service.requests.map((r) => r.url)).toEqual(['/moved']);
  });

  it.each([
    ['a status fetch has no Response for', (res: ServerResponse) => res.writeHead(600).end('{}')],
    [
      'a progress stream on a 204',
      (res: ServerResponse) => res.writeHead(204, { 'content-type': NDJSON_CONTENT_TYPE }).end(),
    ],
  ])('fails the call on %s, and the process carries on', async (_name, answer) => {
    await using service = await rawServer((_req, res) => answer(res));
    await using transport = httpTransportTo(service.url, { retry: false });
    const error = await transport
      .call({ method: 'POST', path: '/odd', body: {} }, { onProgress: () => undefined })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect((error as HostServiceError).message).toContain(`POST ${service.url}/odd failed`);
  });
});
