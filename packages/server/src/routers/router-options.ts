import type { Router } from 'express';
import type { IbLogger } from '@ktrdr/data';

/** Options every ktrdr router takes. */
export interface RouterSecurityOptions {
  /**
   * Bearer token every request under the router must carry. Unset: no check (the server adds its
   * own when it binds a non-loopback host; an app embedding the router decides for itself).
   */
  token?: string;
  /** Largest JSON request body in bytes (default 1 MiB); larger ones get 413. */
  bodyLimitBytes?: number;
}

/** Logging of the services a router builds for itself. */
export interface RouterLoggingOptions {
  /**
   * Receives the IB connection events (connect, drop, reconnect, pacing waits) of the services the
   * router builds from the configuration: `console`, or a pino logger through `fieldsFirstLogger`
   * of `@ktrdr/data`. Default: none. Services passed in log through their own options.
   */
  logger?: IbLogger;
}

/** An Express router that also releases what it built for itself (connections, running operations). */
export type KtrdrRouter = Router & {
  /**
   * Releases the services the router built from the configuration. Services passed in through
   * options belong to the caller and are left alone.
   */
  close(): Promise<void>;
};

/** Attaches `close` to an Express router. @internal */
export function withClose(router: Router, close: () => Promise<void>): KtrdrRouter {
  return Object.assign(router, { close });
}
