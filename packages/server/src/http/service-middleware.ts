import type { RequestHandler } from 'express';
import { type ServiceImplementation, createRequestListener } from '@ktrdr/core';

/** Largest JSON body a ktrdr router accepts unless told otherwise (1 MiB). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Serves one SDK service implementation as Express middleware. The core listener does the work
 * (route matching, validation, errors, NDJSON progress, abort on disconnect) and calls `next()` for
 * paths it does not own, so several services and plain Express routes can share one router.
 */
export function serviceMiddleware(
  implementation: ServiceImplementation,
  options: { bodyLimitBytes?: number } = {},
): RequestHandler {
  const listener = createRequestListener(implementation, {
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
  });
  return (req, res, next) => listener(req, res, next);
}
