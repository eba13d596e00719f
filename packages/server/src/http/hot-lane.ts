import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { RequestHandler } from 'express';
import type { Interceptor } from './interceptors';

/** What a hot handler reads of a request: decoded path parameters and the query as Express parses it. */
export interface HotRequestInput {
  params: Record<string, string>;
  query: Record<string, unknown>;
}

/**
 * A read handler that works on the bare `node:http` exchange. It resolves `true` once it has
 * answered and `false` to leave the request to whatever comes next. It answers only plain
 * successes with data bodies (numbers, dates, validated names: nothing a path redactor would
 * change), and declines everything else, errors included, so the routed path answers those as
 * it always has.
 */
export type HotHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  input: HotRequestInput,
) => Promise<boolean>;

/** A `GET` route served by hot handlers, tried in order; the path may hold `:name` parameters. */
export interface HotRoute {
  path: string;
  handlers: readonly HotHandler[];
}

// A router's hot routes, for the standalone server that mounts it; an app embedding the router
// routes them through Express like any other route.
const hotRoutesOfRouter = new WeakMap<object, readonly HotRoute[]>();

/** Records the hot routes `router` also serves through Express. @internal */
export function attachHotRoutes<T extends object>(router: T, routes: readonly HotRoute[]): T {
  hotRoutesOfRouter.set(router, routes);
  return router;
}

/** The hot routes attached to `router` (none by default). @internal */
export function hotRoutesOf(router: object): readonly HotRoute[] {
  return hotRoutesOfRouter.get(router) ?? [];
}

/** The same hot handler inside an Express router: declining calls `next()`, a failure `next(error)`. */
export function expressHandler(handler: HotHandler): RequestHandler {
  return (req, res, next) => {
    handler(req, res, { params: req.params as Record<string, string>, query: req.query }).then((answered) => {
      if (!answered) next();
    }, next);
  };
}

/** Options of {@link createHotLane}. */
export interface HotLaneOptions {
  /** Where the routes are mounted (`/api/v1`). */
  basePath: string;
  routes: readonly HotRoute[];
  /** Runs first and calls `next` only for requests it lets through (the bearer token check). */
  guard?: Interceptor | undefined;
}

/** Answers a request, or hands it to `fallback`, which must answer it. */
export type HotLane = (req: IncomingMessage, res: ServerResponse, fallback: () => void) => void;

interface CompiledRoute {
  segments: readonly string[];
  handlers: readonly HotHandler[];
}

/**
 * A few read routes answered straight on `node:http`, ahead of Express: routing through Express
 * and its middleware costs several times what a cached read of bars does. Only `GET`s whose path
 * is exactly a route's shape are taken (no trailing slash, same case, well-formed escapes); every
 * other request, and every request a handler declines, goes to `fallback` unchanged, so the
 * routed path stays the one place that answers errors and unusual spellings.
 */
export function createHotLane(options: HotLaneOptions): HotLane {
  const base = options.basePath.replace(/\/+$/, '');
  const routes: CompiledRoute[] = options.routes.map((route) => ({
    segments: route.path.split('/').slice(1),
    handlers: route.handlers,
  }));
  const { guard } = options;
  return (req, res, fallback) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith(`${base}/`)) return fallback();
    const queryAt = url.indexOf('?');
    const path = url.slice(base.length + 1, queryAt < 0 ? undefined : queryAt);
    const found = match(routes, path.split('/'));
    if (found === undefined) return fallback();
    const input: HotRequestInput = {
      params: found.params,
      query: queryAt < 0 ? {} : parseQuery(url.slice(queryAt + 1)),
    };
    const run = () => void serve(found.route.handlers, req, res, input, fallback);
    if (guard === undefined) run();
    else guard(req, res, run);
  };
}

function match(
  routes: readonly CompiledRoute[],
  parts: readonly string[],
): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < parts.length && matched; i++) {
      const segment = route.segments[i] as string;
      const part = parts[i] as string;
      if (segment.startsWith(':')) {
        const value = decodeSegment(part);
        if (value === undefined) matched = false;
        else params[segment.slice(1)] = value;
      } else matched = segment === part;
    }
    if (matched) return { route, params };
  }
  return undefined;
}

/** The decoded segment; `undefined` when empty or badly escaped (Express answers those). */
function decodeSegment(part: string): string | undefined {
  if (part === '') return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

async function serve(
  handlers: readonly HotHandler[],
  req: IncomingMessage,
  res: ServerResponse,
  input: HotRequestInput,
  fallback: () => void,
): Promise<void> {
  try {
    for (const handler of handlers) if (await handler(req, res, input)) return;
  } catch {
    // A handler that fails declines too: the routed path repeats the work and answers the error.
  }
  if (res.headersSent) res.end();
  else fallback();
}
