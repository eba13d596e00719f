import type { z } from 'zod';

/** HTTP methods a route may use. */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/**
 * One route of a service: declared once, it yields the server handler's validation, the in-process
 * dispatch and the typed client call.
 */
export interface RouteDefinition<
  TInput extends z.ZodType = z.ZodType,
  TOutput extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Path template, with `:name` parameters taken from the input (e.g. `/training/status/:session_id`). */
  readonly path: string;
  /** Schema of the input: path parameters plus query (GET/DELETE) or JSON body (POST). */
  readonly input: TInput;
  /** Schema of the successful response body. */
  readonly output: TOutput;
  /** Safe to retry after a failure. Defaults to true for GET, false otherwise. */
  readonly idempotent?: boolean;
  /** One line for generated docs and errors. */
  readonly description?: string;
}

/** A map from route names to their definitions. */
export type RouteMap = Record<string, RouteDefinition>;

/** A service's name and routes: the single declaration both sides share. */
export interface ServiceContract<TRoutes extends RouteMap = RouteMap> {
  /** Human-facing name used in errors, e.g. "IB host service". */
  readonly name: string;
  readonly routes: TRoutes;
}

/** The parsed (handler-side) input type of a route. */
export type RouteInput<R extends RouteDefinition> = z.output<R['input']>;
/** The input type a caller passes (before defaults and coercion). */
export type RouteCallInput<R extends RouteDefinition> = z.input<R['input']>;
/** The response type of a route. */
export type RouteOutput<R extends RouteDefinition> = z.output<R['output']>;

/**
 * Declares a service contract. The `const` type parameter keeps route names and schemas precise so
 * that clients and handlers derived from it are fully typed.
 */
export function defineService<const TRoutes extends RouteMap>(
  name: string,
  routes: TRoutes,
): ServiceContract<TRoutes> {
  return Object.freeze({ name, routes: Object.freeze(routes) });
}

/** Declares one route, inferring its schema types. */
export function defineRoute<TInput extends z.ZodType, TOutput extends z.ZodType>(
  definition: RouteDefinition<TInput, TOutput>,
): RouteDefinition<TInput, TOutput> {
  return definition;
}
