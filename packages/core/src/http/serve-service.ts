import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceImplementation } from '../contract/implement-service';
import { type RequestListenerOptions, createRequestListener } from './request-listener';

/** Options of {@link serveService}. */
export interface ServeServiceOptions extends RequestListenerOptions {
  /** Interface to bind; loopback unless told otherwise. */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
}

/** A running service server. */
export interface ServiceServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting, closes idle keep-alive connections and resolves when closed. */
  close(): Promise<void>;
}

/**
 * Serves one service implementation on a plain `node:http` server: the smallest way to run a host
 * service (the `@ktrdr/server` package adds Express routers, auth and the backend API).
 */
export async function serveService(
  implementation: ServiceImplementation,
  options: ServeServiceOptions = {},
): Promise<ServiceServer> {
  const listener = createRequestListener(implementation, options);
  const server = createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  return { url: `http://${host}:${address.port}`, server, close, [Symbol.asyncDispose]: close };
}
