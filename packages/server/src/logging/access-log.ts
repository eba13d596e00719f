import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Interceptor } from '../http/interceptors';

/** The answer header carrying a request's id: the caller's own when it sent a sane one. */
export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is echoed into logs and headers: only short, plain ones are taken.
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

// Express strips a mounted router's prefix from `req.url` while it routes; `originalUrl` keeps it.
function pathOf(req: { url?: string; originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?', 1)[0] ?? '';
}

/**
 * Access log of a ktrdr server through pino-http: one line per answered request with method, path,
 * status, `responseTime` (ms) and the request id, also answered as `x-request-id` (the caller's own
 * when it sent one). Headers are not logged at all, so no token can reach the log; query strings
 * are left out too. 5xx answers log at `error`, 4xx at `warn`, the rest at `info`.
 */
export function createAccessLog(logger: Logger): RequestHandler {
  return accessLog(logger);
}

/** {@link createAccessLog} on the bare `node:http` exchange, as a server's interceptors run. @internal */
export function accessLog(logger: Logger): Interceptor {
  const middleware = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers[REQUEST_ID_HEADER];
      const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customLogLevel: (_req, res, error) =>
      error !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode} failed`,
    serializers: {
      // Given pino's standard view of the request (its `url` is already the original one).
      req: (req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOf({ url: req.url }),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  });
  return (req, res, next) => middleware(req, res, next);
}
