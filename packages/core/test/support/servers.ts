import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  type HttpTransportOptions,
  type ServeServiceOptions,
  type ServiceServer,
  createHttpTransport,
  serveService,
} from '@ktrdr/core';
import { type ServiceProbe, createTestService } from './test-service';

/** A real test service on a loopback port, with its probe; `await using` closes it. */
export interface TestServer extends AsyncDisposable {
  readonly server: ServiceServer;
  readonly url: string;
  readonly probe: ServiceProbe;
  /** TCP connections the server accepted so far. */
  connections(): number;
}

/** Serves a fresh test service on 127.0.0.1 port 0. */
export async function startTestServer(options: ServeServiceOptions = {}): Promise<TestServer> {
  const { implementation, probe } = createTestService();
  const server = await serveService(implementation, options);
  let connections = 0;
  server.server.on('connection', () => connections++);
  return {
    server,
    url: server.url,
    probe,
    connections: () => connections,
    [Symbol.asyncDispose]: () => server.close(),
  };
}

/** An HTTP transport to `url` that `await using` closes; no retries unless asked. */
export function httpTransportTo(url: string, options: Partial<HttpTransportOptions> = {}) {
  const transport = createHttpTransport({
    baseUrl: url,
    serviceName: 'test service',
    retry: false,
    ...options,
  });
  return Object.assign(transport, { [Symbol.asyncDispose]: () => transport.close() });
}

/** A loopback URL nobody listens on: bound, then released. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
