import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ServiceConfigurationError } from '@ktrdr/core';
import { DASHBOARD_PATH } from '@ktrdr/dashboard';
import { bearerGuard } from '../auth/bearer-auth';
import { DEFAULT_BIND_HOST, resolveServerToken } from '../auth/bind-policy';
import { createHotLane, hotRoutesOf } from '../http/hot-lane';
import { type Interceptor, intercepted } from '../http/interceptors';
import { jsonErrorHandler, jsonNotFoundHandler } from '../http/json-errors';
import { redactAnswers } from '../http/redact-answers';
import { createPathRedactor } from '../http/redact-paths';
import { createDashboardRouter } from '../dashboard/dashboard-router';
import { accessLog } from '../logging/access-log';
import { settlesWithin } from './bounded';
import { ConnectionTracker } from './connection-tracker';
import { mountKind } from './mount-kind';
import { DEFAULT_PORTS, SERVER_NAMES, type ServerKind } from './server-kinds';
import type { StartServerOptions } from './start-server-options';

/** A running ktrdr server. */
export interface RunningServer extends AsyncDisposable {
  readonly kind: ServerKind;
  /**
   * Where its routes live: `http://127.0.0.1:8000/api/v1` for the API (a `KTRDR_API_URL`),
   * `http://127.0.0.1:8001` for the IB host (an `IB_HOST_SERVICE_URL`).
   */
  readonly url: string;
  /** Scheme, host and port only. */
  readonly origin: string;
  /** True when every request must carry the bearer token. */
  readonly requiresToken: boolean;
  readonly server: Server;
  /**
   * Graceful shutdown, bounded by `shutdownTimeoutMs`: stops accepting connections, closes idle
   * keep-alive sockets, cancels running operations, lets in-flight requests finish, closes what is
   * left by force once the bound has passed, then closes the IB and host-service connections.
   * Idempotent.
   */
  close(): Promise<void>;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
// Closing IB and host-service clients gets this long even when draining used up the bound.
const SERVICE_CLOSE_GRACE_MS = 2_000;
const IDLE_SWEEP_MS = 25;

function listen(server: Server, port: number, host: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} is already in use`
          : error.code === 'EACCES'
            ? `no permission to bind port ${port}`
            : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
              ? `${host} is not an address of this machine`
              : error.message;
      reject(
        new ServiceConfigurationError(
          `${name} cannot listen on ${host}:${port}: ${reason}. Choose another --host/--port.`,
          {
            details: { variable: 'port', host, port, code: error.code },
            cause: error,
          },
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
}

/** Headers every answer carries; plus `Connection: close` once shutting down, so clients move on. */
function baseHeaders(isClosing: () => boolean): Interceptor {
  return (_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    if (isClosing()) res.setHeader('connection', 'close');
    next();
  };
}

/**
 * Starts one ktrdr server on its own Express app and `node:http` server: the backend API
 * (`kind: 'api'`), the IB host service (`'ib-host'`) or the training host service
 * (`'training-host'`). It binds 127.0.0.1 unless told otherwise, and refuses to bind any other host
 * without a bearer token (`token` or `KTRDR_API_TOKEN`), which every request must then carry.
 * Services not passed in are built from the configuration; the server owns them and closes them on
 * {@link RunningServer.close}.
 * @throws ServiceConfigurationError naming KTRDR_API_TOKEN for a non-loopback host without a token,
 *   or naming the port when it cannot be bound.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_BIND_HOST;
  const port = options.port ?? DEFAULT_PORTS[options.kind];
  const name = SERVER_NAMES[options.kind];
  // Refuse before building anything: no connection is opened for a server that will not start.
  const token = resolveServerToken(host, options.token, options.env);
  const mounted = mountKind(options);
  let closing: Promise<void> | undefined;

  const auth = token === undefined ? undefined : bearerGuard(token);
  const app = express();
  app.disable('x-powered-by');
  // The API's web dashboard: built static files (no server path to redact, and streamed with their
  // length), served before auth: the page asks for the token itself.
  if (options.kind === 'api')
    app.use(
      DASHBOARD_PATH,
      createDashboardRouter({ apiBasePath: mounted.basePath, requiresToken: token !== undefined }),
    );
  // Every answer, the host routers' included (the API and training routers add their folders).
  app.use(redactAnswers(createPathRedactor()));
  // Auth before routing, so unauthenticated callers cannot even learn which routes exist.
  if (auth !== undefined) app.use(auth);
  app.use(mounted.basePath, mounted.router);
  app.use(jsonNotFoundHandler);
  app.use(jsonErrorHandler);

  // Cached reads of bars are answered ahead of Express, whose routing would cost several times
  // the read; they get the same token check, and decline to Express whatever is not a success.
  const hotLane = createHotLane({
    basePath: mounted.basePath,
    routes: hotRoutesOf(mounted.router),
    guard: auth,
  });
  // Once per request, whichever path answers it: first the access log, so that refused and unknown
  // requests are logged and answered with a request id too.
  const interceptors: Interceptor[] = [
    ...(options.logger === undefined ? [] : [accessLog(options.logger)]),
    baseHeaders(() => closing !== undefined),
  ];
  const server = createServer(
    intercepted(interceptors, (req, res) => hotLane(req, res, () => app(req, res))),
  );
  const connections = new ConnectionTracker(server);
  try {
    await listen(server, port, host, name);
  } catch (error) {
    // Nothing ran yet, but default services may hold a trainer or a lazily opened connection.
    await Promise.allSettled([mounted.stopWork(), mounted.closeServices()]);
    throw error;
  }
  const address = server.address() as AddressInfo;
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;

  const shutdown = async () => {
    const deadline = Date.now() + timeoutMs;
    const left = () => deadline - Date.now();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets whose last answer ends during the drain (a progress stream reaching its end
    // event) would otherwise stay open until their keep-alive timeout: close each as it turns idle.
    connections.closeIdle();
    const sweeper = setInterval(() => connections.closeIdle(), IDLE_SWEEP_MS);
    try {
      await settlesWithin(Promise.resolve().then(mounted.stopWork), left());
      if (!(await settlesWithin(closed, left()))) {
        // In-flight requests ran past the bound: closing their sockets aborts their handlers too.
        server.closeAllConnections();
        await closed;
      }
    } finally {
      clearInterval(sweeper);
    }
    await settlesWithin(
      Promise.resolve().then(mounted.closeServices),
      Math.max(left(), SERVICE_CLOSE_GRACE_MS),
    );
  };
  const close = () => (closing ??= shutdown());
  const basePath = mounted.basePath === '/' ? '' : mounted.basePath.replace(/\/+$/, '');
  return {
    kind: options.kind,
    url: `${origin}${basePath}`,
    origin,
    requiresToken: token !== undefined,
    server,
    close,
    [Symbol.asyncDispose]: close,
  };
}
