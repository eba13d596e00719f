import type { Router } from 'express';

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
