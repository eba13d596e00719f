import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { RouteDefinition, RouteMap, ServiceContract } from '@ktrdr/core';
import { z } from 'zod';

/** A route written by hand (not from a contract), described for the OpenAPI document. */
export interface HandWrittenRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Express-style path, `:name` for parameters. */
  readonly path: string;
  readonly summary: string;
  /** Media type of the successful answer (default `application/json`). */
  readonly contentType?: string;
}

/** What {@link buildOpenApiDocument} describes. */
export interface OpenApiSource {
  readonly title: string;
  readonly version: string;
  /** Contracts in the order the router serves them: the first route for a method and path wins. */
  readonly contracts: readonly ServiceContract[];
  readonly handWritten?: readonly HandWrittenRoute[];
}

/** An OpenAPI 3.1 document (plain JSON). */
export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
};

// Every failure answers this envelope (`sendError` of @ktrdr/core).
const errorBody = z.object({
  success: z.literal(false),
  error: z.object({ code: z.string(), message: z.string() }).loose(),
});

const errorResponses = {
  default: {
    description: 'A typed ktrdr error (4xx for bad input, 5xx otherwise)',
    content: { 'application/json': { schema: errorBody } },
  },
} as const;

/** `/a/:b` to `/a/{b}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
}

/** The object schema under pipes (`.transform`), or undefined when the input is not an object. */
function objectOf(schema: z.ZodType): z.ZodObject | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8; depth++) {
    if (current instanceof z.ZodObject) return current;
    if (current instanceof z.ZodPipe) current = current.in;
    else return undefined;
  }
  return undefined;
}

function contractRoute(name: string, route: RouteDefinition, loose: boolean): RouteConfig {
  const params = pathParams(route.path);
  const input = objectOf(route.input);
  const shape = input?.shape ?? {};
  const paramShape = Object.fromEntries(
    params.map((p) => [p, loose ? z.string() : ((shape[p] as z.ZodType | undefined) ?? z.string())]),
  );
  const rest =
    input === undefined
      ? undefined
      : z.object(Object.fromEntries(Object.entries(shape).filter(([key]) => !params.includes(key))));
  const request: RouteConfig['request'] = {};
  if (params.length > 0) request.params = z.object(paramShape);
  if (route.method === 'POST') {
    const schema = loose ? z.unknown() : (rest ?? route.input);
    request.body = { content: { 'application/json': { schema } } };
  } else if (rest !== undefined && Object.keys(rest.shape).length > 0 && !loose) {
    request.query = rest;
  }
  return {
    method: route.method.toLowerCase() as RouteConfig['method'],
    path: toOpenApiPath(route.path),
    operationId: name,
    summary: route.description,
    request,
    responses: {
      200: {
        description: route.description ?? name,
        content: { 'application/json': { schema: loose ? z.unknown() : route.output } },
      },
      ...errorResponses,
    },
  };
}

function handWrittenRoute(route: HandWrittenRoute): RouteConfig {
  const params = pathParams(route.path);
  return {
    method: route.method.toLowerCase() as RouteConfig['method'],
    path: toOpenApiPath(route.path),
    summary: route.summary,
    request:
      params.length > 0 ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {},
    responses: {
      200: {
        description: route.summary,
        content: { [route.contentType ?? 'application/json']: { schema: z.unknown() } },
      },
      ...errorResponses,
    },
  };
}

/** Paths and components of one route; a schema the generator cannot express becomes `{}` instead of failing the document. */
function generate(config: RouteConfig, fallback?: () => RouteConfig): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerPath(config);
  try {
    return new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: '', version: '' },
    }) as unknown as Record<string, unknown>;
  } catch (error) {
    if (fallback === undefined) throw error;
    return generate(fallback());
  }
}

/**
 * Builds the OpenAPI 3.1 document of a router from the contracts it serves and its hand-written
 * routes. Run it once when the router is built: it walks every schema.
 */
export function buildOpenApiDocument(source: OpenApiSource): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  const operationIds = new Set<string>();
  const add = (config: RouteConfig, fallback?: () => RouteConfig): void => {
    const methods = paths[config.path] ?? {};
    if (methods[config.method] !== undefined) return; // served by an earlier service
    let id = config.operationId;
    if (id !== undefined) {
      for (let n = 2; operationIds.has(id); n++) id = `${config.operationId}${n}`;
      operationIds.add(id);
    }
    const withId = { ...config, operationId: id };
    const generated = generate(withId, fallback && (() => ({ ...fallback(), operationId: id })));
    const operation = (generated.paths as Record<string, Record<string, unknown>>)[config.path]?.[
      config.method
    ];
    methods[config.method] = operation;
    paths[config.path] = methods;
    const components = (generated.components as { schemas?: Record<string, unknown> } | undefined)?.schemas;
    Object.assign(schemas, components);
  };
  for (const contract of source.contracts) {
    for (const [name, route] of Object.entries(contract.routes as RouteMap)) {
      add(contractRoute(name, route, false), () => contractRoute(name, route, true));
    }
  }
  for (const route of source.handWritten ?? []) add(handWrittenRoute(route));
  add(handWrittenRoute({ method: 'GET', path: '/openapi.json', summary: 'This OpenAPI document' }));
  return {
    openapi: '3.1.0',
    info: { title: source.title, version: source.version },
    paths,
    components: { schemas },
  };
}
