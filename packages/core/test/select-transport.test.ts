import { describe, expect, it, vi } from 'vitest';
import { loadConfig, resolveTransportChoice, selectTransport } from '@ktrdr/core';
import { startTestServer } from './support/servers';
import { createTestService } from './support/test-service';

describe('selectTransport', () => {
  it('reads each host service from its own settings, with the token and the variables errors name', () => {
    const config = loadConfig(
      {
        ib: { useHostService: true, hostServiceUrl: 'http://ib.test:8001', hostServiceTimeoutMs: 4_000 },
        training: { useHostService: true, hostServiceUrl: 'http://gpu.test:8002' },
      },
      {},
    );
    const inProcess = vi.fn(() => createTestService().implementation);
    expect(resolveTransportChoice({ kind: 'config', config, service: 'ib', token: 't', inProcess })).toEqual({
      kind: 'http',
      url: 'http://ib.test:8001',
      token: 't',
      urlVariable: 'IB_HOST_SERVICE_URL',
      deadlineMs: 4_000,
      deadlineVariable: 'IB_HOST_SERVICE_TIMEOUT',
      connections: undefined,
    });
    expect(resolveTransportChoice({ kind: 'config', config, service: 'training', inProcess })).toMatchObject({
      kind: 'http',
      url: 'http://gpu.test:8002',
      urlVariable: 'TRAINING_HOST_SERVICE_URL',
      deadlineMs: undefined,
    });
    expect(inProcess).not.toHaveBeenCalled();
  });

  it('builds the in-process implementation only when the configuration says in-process', async () => {
    const inProcess = vi.fn(() => createTestService().implementation);
    const transport = selectTransport('test service', {
      kind: 'config',
      config: loadConfig({}, {}),
      service: 'training',
      inProcess,
      transportKind: 'local',
    });
    expect(inProcess).toHaveBeenCalledTimes(1);
    expect(transport).toMatchObject({ kind: 'local', target: 'in-process' });
    expect(await transport.call({ method: 'POST', path: '/echo', body: { text: 'x' } })).toEqual({
      text: 'x',
    });
  });

  it('builds one persistent HTTP client for an explicit choice', async () => {
    await using service = await startTestServer();
    const transport = selectTransport('test service', { kind: 'http', url: service.url, deadlineMs: 5_000 });
    for (let i = 0; i < 3; i++) await transport.call({ method: 'GET', path: '/items/1' });
    expect(transport).toMatchObject({ kind: 'http', target: service.url });
    expect(service.connections()).toBe(1);
    await transport.close();
  });
});

describe('selectTransport over HTTP with a token', () => {
  it('sends the token through the chain, on every call, once', async () => {
    const { createServer } = await import('node:http');
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const transport = selectTransport('test service', {
      kind: 'config',
      config: loadConfig(
        { training: { useHostService: true, hostServiceUrl: `http://127.0.0.1:${port}` } },
        {},
      ),
      service: 'training',
      token: 'tok',
      inProcess: () => createTestService().implementation,
    });
    await transport.call({ method: 'GET', path: '/a' });
    await transport.call({ method: 'GET', path: '/b' }, { headers: { 'x-trace': '1' } });
    expect(seen).toEqual(['Bearer tok', 'Bearer tok']);
    await transport.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
