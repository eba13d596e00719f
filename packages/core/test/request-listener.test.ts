import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ValidationError, createRequestListener, sendError, serveService } from '@ktrdr/core';
import { startTestServer } from './support/servers';
import { createTestService } from './support/test-service';

/** Sends a raw request and collects the answer. */
function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; chunks?: string[] },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const target = {
      hostname: hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      path: options.path,
      method: options.method,
      headers: options.headers,
    };
    const req = request(target, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('request listener', () => {
  it('hands paths it does not own to next(), Express style', async () => {
    const { implementation } = createTestService();
    const listener = createRequestListener(implementation);
    const server = createServer((req, res) =>
      listener(req, res, () => res.writeHead(418, { 'content-type': 'text/plain' }).end('not mine')),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await rawRequest(url, { method: 'GET', path: '/elsewhere' })).toMatchObject({
        status: 418,
        body: 'not mine',
      });
      expect(await rawRequest(url, { method: 'PUT', path: '/echo' })).toMatchObject({ status: 418 });
      expect(await rawRequest(url, { method: 'GET', path: '/items/3' })).toMatchObject({ status: 200 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers a broken percent-escape in a path parameter with 400 naming the parameter', async () => {
    await using service = await startTestServer();
    const answer = await rawRequest(service.url, { method: 'GET', path: '/items/%E0%A4%A' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      success: false,
      error: { code: 'validation', details: { field: 'id' } },
    });
  });

  it('routes an absolute-form request target, as some proxies send it', async () => {
    await using service = await startTestServer();
    const answer = await rawRequest(service.url, {
      method: 'GET',
      path: `${service.url}/items/5?verbose=true`,
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ id: '5', verbose: true });
  });

  it('uses a body an earlier middleware already parsed', async () => {
    const { implementation } = createTestService();
    const listener = createRequestListener(implementation);
    const server = createServer((req, res) => {
      // What express.json() leaves behind; the stream itself is never read again.
      Object.assign(req, { body: { text: 'pre-parsed' } });
      listener(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const answer = await rawRequest(url, { method: 'POST', path: '/echo' });
      expect(JSON.parse(answer.body)).toEqual({ text: 'pre-parsed' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers 400 for a body that is not JSON, naming the body', async () => {
    await using service = await startTestServer();
    const answer = await rawRequest(service.url, {
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      chunks: ['{"text": '],
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'validation', details: { field: '(body)' } },
    });
  });

  it('treats an empty POST body as an empty object', async () => {
    await using service = await startTestServer();
    const answer = await rawRequest(service.url, { method: 'POST', path: '/echo' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { details: { field: 'text' } } });
  });

  it('refuses a streamed body once it passes the limit, and the connection stays usable', async () => {
    await using service = await startTestServer({ bodyLimitBytes: 100 });
    const answer = await rawRequest(service.url, {
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: ['{"text": "', 'x'.repeat(80), 'y'.repeat(80), '"}'],
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'payload_too_large', details: { limitBytes: 100 } },
    });
  });

  it('stops the handler when the client disconnects before the answer', async () => {
    await using service = await startTestServer();
    const req = request(`${service.url}/slow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ ms: 60_000 }));
    await expect.poll(() => service.probe.started).toBe(1);
    req.destroy();
    expect(await service.probe.aborted).toMatchObject({ code: 'cancelled', message: 'Client disconnected' });
  });

  it('ends an answer already under way instead of writing a second head', () => {
    const calls: string[] = [];
    const res = { headersSent: true, end: () => calls.push('end'), writeHead: () => calls.push('writeHead') };
    sendError(res as never, new ValidationError('late'));
    expect(calls).toEqual(['end']);
  });

  it('serves on IPv6 loopback with a bracketed URL, and closes with asyncDispose', async () => {
    const { implementation } = createTestService();
    let server;
    try {
      server = await serveService(implementation, { host: '::1' });
    } catch {
      return; // No IPv6 on this machine: nothing to check.
    }
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const answer = await rawRequest(server.url, { method: 'GET', path: '/items/1' });
    expect(answer.status).toBe(200);
    await server[Symbol.asyncDispose]();
    expect(server.server.listening).toBe(false);
  });

  it('reports a port already in use', async () => {
    await using service = await startTestServer();
    const port = Number(new URL(service.url).port);
    const { implementation } = createTestService();
    await expect(serveService(implementation, { port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
