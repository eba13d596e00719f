import type { z } from 'zod';
import { InternalError, NotFoundError, ValidationError, toKtrdrError } from '../errors/index';
import type { HttpMethod, RouteDefinition, RouteMap, ServiceContract } from './define-service';
import { compilePath } from './path-template';
import { parseInput } from './validation';

/** What a handler gets besides its input. */
export interface HandlerContext {
  /** Aborts when the caller cancels, times out or disconnects: stop the work. */
  readonly signal: AbortSignal;
  /** Streams a progress update to the caller (when it asked for progress). */
  reportProgress(progress: unknown): void;
  /** How the call arrived. */
  readonly transport: 'http' | 'in-process';
}

/** A transport-neutral request: what the HTTP server and the in-process transport both dispatch. */
export interface ServiceRequest {
  readonly method: HttpMethod;
  /** Path relative to the service root, starting with `/`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: unknown;
}

type HandlerFor<R extends RouteDefinition> = (
  input: z.output<R['input']>,
  context: HandlerContext,
) => Promise<z.input<R['output']>> | z.input<R['output']>;

/** One handler per route of the contract, typed from its schemas. */
export type ServiceHandlers<C extends ServiceContract> = {
  [K in keyof C['routes']]: HandlerFor<C['routes'][K]>;
};

/** A route matched against a request. */
export interface MatchedRoute {
  readonly name: string;
  readonly route: RouteDefinition;
  readonly params: Record<string, string>;
}

/** A contract bound to its handlers: serve it over HTTP or call it in-process. */
export interface ServiceImplementation<C extends ServiceContract = ServiceContract> {
  readonly contract: C;
  /** Finds the route for a method and path, or undefined. */
  match(method: string, path: string): MatchedRoute | undefined;
  /** True when some route has this path under another method (for a 405 answer). */
  hasPath(path: string): boolean;
  /**
   * Validates the input, runs the handler and validates its output. Throws a {@link KtrdrError}:
   * NotFoundError for an unknown route, ValidationError for bad input, the handler's own errors, and
   * InternalError for anything else.
   */
  handle(request: ServiceRequest, context: HandlerContext): Promise<unknown>;
}

/** Assembles a route's raw input from path parameters and query (GET/DELETE) or body (POST). */
function rawInput(request: ServiceRequest, params: Record<string, string>): unknown {
  if (request.method === 'POST') {
    const body = request.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationError('Request body must be a JSON object', { details: { field: '(body)' } });
    }
    return { ...body, ...params };
  }
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) query[key] = value;
  }
  return { ...query, ...params };
}

/**
 * Binds handlers to a contract. The result is what `createInProcessTransport` calls and what the
 * HTTP request listener (and the Express routers of `@ktrdr/server`) serve.
 */
export function implementService<C extends ServiceContract>(
  contract: C,
  handlers: ServiceHandlers<C>,
): ServiceImplementation<C> {
  const routes = Object.entries(contract.routes as RouteMap).map(([name, route]) => ({
    name,
    route,
    template: compilePath(route.path),
    handler: handlers[name as keyof C['routes']] as HandlerFor<RouteDefinition>,
  }));
  const match = (
    method: string,
    path: string,
  ): (MatchedRoute & { handler: HandlerFor<RouteDefinition> }) | undefined => {
    for (const entry of routes) {
      if (entry.route.method !== method) continue;
      const params = entry.template.match(path);
      if (params !== undefined)
        return { name: entry.name, route: entry.route, params, handler: entry.handler };
    }
    return undefined;
  };
  return {
    contract,
    match,
    hasPath: (path) =>
      routes.some((entry) => {
        try {
          return entry.template.match(path) !== undefined;
        } catch {
          return true; // ours, but malformed: handle() answers it with a ValidationError
        }
      }),
    async handle(request, context) {
      const matched = match(request.method, request.path);
      if (matched === undefined) {
        throw new NotFoundError(`${contract.name} has no route ${request.method} ${request.path}`, {
          details: { service: contract.name, method: request.method, path: request.path },
        });
      }
      const input = parseInput(
        matched.route.input,
        rawInput(request, matched.params),
        `${matched.name} input`,
      );
      let output: unknown;
      try {
        output = await matched.handler(input, context);
      } catch (error) {
        throw toKtrdrError(error, `${contract.name} ${matched.name} failed`);
      }
      const checked = matched.route.output.safeParse(output);
      if (!checked.success) {
        throw new InternalError(`${contract.name} ${matched.name} produced an invalid response`, {
          details: { issues: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
        });
      }
      return checked.data;
    },
  };
}
