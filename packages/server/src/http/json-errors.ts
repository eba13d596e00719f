import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  type KtrdrError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
  errorFromHttpStatus,
  isKtrdrError,
  sendError,
  toKtrdrError,
} from '@ktrdr/core';

interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

/**
 * Turns whatever reached an Express error handler into a ktrdr error. Besides our own errors this
 * covers what Express itself and body parsers a host app may have installed (`express.json()`)
 * throw: their errors carry an HTTP status and a `type`, not one of our codes.
 */
export function toHttpError(error: unknown): KtrdrError {
  if (isKtrdrError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
  if (e.type === 'entity.too.large') {
    return new PayloadTooLargeError('Request body exceeds the size limit', {
      details: typeof e.limit === 'number' ? { limitBytes: e.limit } : {},
    });
  }
  if (e.type === 'entity.parse.failed') {
    return new ValidationError('Request body is not valid JSON', { details: { field: '(body)' } });
  }
  // decodeURIComponent of a path parameter with broken percent-encoding (`%E0%A4%A`).
  if (error instanceof URIError) {
    return new ValidationError('Malformed percent-encoding in the request path', {
      details: { field: '(path)' },
    });
  }
  const status =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  // A 4xx from Express (a badly encoded path parameter, an unsupported charset) is the caller's
  // fault: keep its status. Anything else is ours and becomes an InternalError without a stack.
  if (status >= 400 && status < 500) {
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : `HTTP ${status}`;
    return errorFromHttpStatus(status, `Bad request: ${message}`);
  }
  return toKtrdrError(error, 'Request failed');
}

/**
 * Express error middleware that answers `{ success: false, error }` with the error's real HTTP
 * status and never a stack trace. Install it last, in your app as in our routers.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  sendError(res, toHttpError(error));
};

/** Express middleware that answers 404 `{ success: false, error }` for any request that reaches it. */
export const jsonNotFoundHandler: RequestHandler = (req, res) => {
  const path = new URL(req.originalUrl ?? req.url ?? '/', 'http://local').pathname;
  sendError(
    res,
    new NotFoundError(`No route ${req.method} ${path}`, { details: { method: req.method, path } }),
  );
};
