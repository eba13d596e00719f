import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceImplementation, ServiceRequest } from '../contract/implement-service';
import type { HttpMethod } from '../contract/define-service';
import { fromSearchParams } from '../contract/query';
import type { KtrdrError } from '../errors/index';
import {
  CancelledError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ValidationError,
  toKtrdrError,
} from '../errors/index';
import { NDJSON_CONTENT_TYPE, encodeFrame } from './ndjson';

/** Options of {@link createRequestListener}. */
export interface RequestListenerOptions {
  /** Largest accepted request body, in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
}

/** A Node/Express style listener; `next` is called for paths this service does not own. */
export type ServiceRequestListener = (
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

const METHODS: readonly string[] = ['GET', 'POST', 'DELETE'];

/** Writes a ktrdr error as `{ success: false, error }` with its HTTP status. No stack traces. */
export function sendError(res: ServerResponse, error: KtrdrError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error instanceof RateLimitedError && error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  res.writeHead(error.httpStatus, headers).end(JSON.stringify({ success: false, error: error.toJSON() }));
}

/** Writes a JSON success body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  // Mounted behind express.json(), the body is already parsed.
  if (req.body !== undefined) return Promise.resolve(req.body);
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new PayloadTooLargeError(`Request body exceeds the limit of ${limit} bytes`, {
        details: { limitBytes: limit },
      });
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      // Say so at once; Node discards the unread body once the answer is sent.
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      // Keep reading and dropping the rest: destroying the request would also destroy the 413.
      if (size > limit) reject(tooLarge());
      else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > limit) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ValidationError('Request body is not valid JSON', { details: { field: '(body)' } }));
      }
    });
  });
}

/**
 * Path and query string of a request target. A plain split: `new URL` costs more than all the
 * routing after it, and origin-form targets (`/path?query`) are all a client sends to a server.
 */
function splitTarget(target: string): { path: string; search: string } {
  if (!target.startsWith('/')) {
    // Absolute form (`http://host/path`), as sent through some proxies.
    const url = new URL(target, 'http://local');
    return { path: url.pathname, search: url.search.slice(1) };
  }
  const mark = target.indexOf('?');
  return mark < 0
    ? { path: target, search: '' }
    : { path: target.slice(0, mark), search: target.slice(mark + 1) };
}

/**
 * Serves a service implementation over HTTP: route matching, body limits, validation, errors with
 * real status codes, progress streaming, and cancellation when the client disconnects. Mount it on a
 * `node:http` server or inside an Express router (it calls `next()` for paths it does not own).
 */
export function createRequestListener(
  implementation: ServiceImplementation,
  options: RequestListenerOptions = {},
): ServiceRequestListener {
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  return (req, res, next) => {
    const { path, search } = splitTarget(req.url ?? '/');
    const method = (req.method ?? 'GET').toUpperCase();
    if (!implementation.hasPath(path) || !METHODS.includes(method)) {
      if (next !== undefined) return next();
      // Same error as the in-process transport gives for an unknown route.
      const { name } = implementation.contract;
      return sendError(
        res,
        new NotFoundError(`${name} has no route ${method} ${path}`, {
          details: { service: name, method, path },
        }),
      );
    }
    const controller = new AbortController();
    // The client went away before we answered: stop the work it started.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new CancelledError('Client disconnected'));
    });
    const wantsStream = (req.headers.accept ?? '').includes(NDJSON_CONTENT_TYPE);
    const startStream = () => {
      if (!res.headersSent)
        res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE, 'cache-control': 'no-cache' });
    };
    void (async () => {
      try {
        const request: ServiceRequest = {
          method: method as HttpMethod,
          path,
          query: search === '' ? {} : fromSearchParams(new URLSearchParams(search)),
          body: method === 'POST' ? await readBody(req, limit) : undefined,
        };
        const result = await implementation.handle(request, {
          signal: controller.signal,
          transport: 'http',
          reportProgress(progress) {
            if (!wantsStream || controller.signal.aborted) return;
            startStream();
            res.write(encodeFrame({ type: 'progress', progress }));
          },
        });
        if (res.headersSent) res.end(encodeFrame({ type: 'result', result }));
        else sendJson(res, 200, result);
      } catch (error) {
        const ktrdrError = toKtrdrError(error, `${implementation.contract.name} request failed`);
        if (res.headersSent && !res.writableEnded)
          res.end(encodeFrame({ type: 'error', error: ktrdrError.toJSON() }));
        else sendError(res, ktrdrError);
      }
    })();
  };
}
