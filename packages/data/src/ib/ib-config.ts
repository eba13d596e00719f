import { ValidationError } from '@ktrdr/core';
import type { BackoffOptions } from './backoff';
import type { Clock } from './clock';
import type { IbApiFactory } from './ib-api-port';

/** Where log lines of the IB transport go. Every method is optional; the default logs nothing. */
export interface IbLogger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

/** Reconnect policy after an established connection drops. */
export interface IbReconnectOptions extends Partial<BackoffOptions> {
  /** Attempts before giving up (the next request then connects afresh). Default 10. */
  maxAttempts?: number;
}

/** How to reach IB Gateway/TWS and how the connection behaves. */
export interface IbConnectionOptions {
  /** Default `127.0.0.1` (the Python system's `IB_HOST`). */
  host?: string;
  /** Default 4002, IB Gateway paper trading (the Python system's `IB_PORT`). */
  port?: number;
  /** Default 1 (the Python system's `IB_CLIENT_ID`). On error 326 the next free id is used. */
  clientId?: number;
  /** Time allowed from opening the socket to the connection being synchronised. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How many consecutive client ids to try when IB says one is in use (326). Default 10. */
  maxClientIdAttempts?: number;
  /** Reconnect with exponential backoff and jitter after a drop; `false` disables. */
  reconnect?: IbReconnectOptions | false;
  /**
   * Close the socket after this long with nothing to do; the next request reconnects. `false`
   * keeps it open. Default 300 000 ms (5 minutes).
   */
  idleCloseMs?: number | false;
  /**
   * After a request times out, ask IB for its current time with this timeout: no answer means the
   * socket is silent (a laptop that slept, a wedged gateway) and it is dropped and reconnected.
   * `false` disables the probe. Default 5 000 ms.
   */
  probeTimeoutMs?: number | false;
  /**
   * How long to wait for the managed-accounts message after next-valid-id before calling the
   * connection ready anyway (it decides whether the session is simulated). Default 250 ms.
   */
  accountsGraceMs?: number;
  /** Creates the raw API per connection attempt (default: `@stoqey/ib`'s `IBApi`). */
  createApi?: IbApiFactory;
  clock?: Clock;
  logger?: IbLogger;
  /** Random source of the backoff jitter (tests). */
  random?: () => number;
}

/** The Python system's defaults for a direct gateway connection. */
export const IB_CONNECTION_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 4002,
  clientId: 1,
  connectTimeoutMs: 10_000,
  maxClientIdAttempts: 10,
  idleCloseMs: 300_000,
  probeTimeoutMs: 5_000,
  accountsGraceMs: 250,
  reconnect: Object.freeze({
    initialDelayMs: 1_000,
    maxDelayMs: 30_000,
    factor: 2,
    jitter: 0.2,
    maxAttempts: 10,
  }),
});

/** Checks host, port and client id; returns them with defaults filled in. */
export function resolveEndpoint(options: IbConnectionOptions): {
  host: string;
  port: number;
  clientId: number;
} {
  const host = options.host ?? IB_CONNECTION_DEFAULTS.host;
  const port = options.port ?? IB_CONNECTION_DEFAULTS.port;
  const clientId = options.clientId ?? IB_CONNECTION_DEFAULTS.clientId;
  if (typeof host !== 'string' || host.trim() === '') {
    throw new ValidationError('IB host must be a non-empty host name or IP address.', {
      details: { field: 'host' },
    });
  }
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new ValidationError(`IB port must be an integer from 1 to 65535, got ${String(port)}.`, {
      details: { field: 'port', value: port },
    });
  }
  if (!Number.isInteger(clientId) || clientId < 0) {
    throw new ValidationError(`IB client id must be a non-negative integer, got ${String(clientId)}.`, {
      details: { field: 'clientId', value: clientId },
    });
  }
  return { host: host.trim(), port, clientId };
}
