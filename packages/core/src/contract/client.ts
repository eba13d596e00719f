import { HostServiceError } from '../errors/index';
import type { CallOptions, Transport } from '../transport/transport';
import type {
  RouteCallInput,
  RouteDefinition,
  RouteMap,
  RouteOutput,
  ServiceContract,
} from './define-service';
import type { ServiceRequest } from './implement-service';
import { compilePath } from './path-template';

/** A typed client: one async method per route of the contract. */
export type ServiceClient<C extends ServiceContract> = {
  [K in keyof C['routes']]: (
    input: RouteCallInput<C['routes'][K]>,
    options?: CallOptions,
  ) => Promise<RouteOutput<C['routes'][K]>>;
};

function toQueryValue(value: unknown): string | string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * Builds the transport-neutral request for a route call: path parameters are taken out of the input,
 * the rest goes to the query (GET/DELETE) or the JSON body (POST).
 */
export function buildRequest(route: RouteDefinition, input: unknown): ServiceRequest {
  const template = compilePath(route.path);
  const fields: Record<string, unknown> = { ...((input ?? {}) as Record<string, unknown>) };
  const path = template.fill(fields);
  for (const param of template.params) delete fields[param];
  if (route.method === 'POST') return { method: route.method, path, body: fields };
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(fields)) {
    const encoded = toQueryValue(value);
    if (encoded !== undefined) query[key] = encoded;
  }
  return { method: route.method, path, query };
}

/**
 * Derives a typed client from a contract over any transport. Responses that crossed a wire are
 * validated against the route's output schema; in-process responses (target `in-process`) were validated by the service.
 */
export function createServiceClient<C extends ServiceContract>(
  contract: C,
  transport: Transport,
): ServiceClient<C> {
  const client: Record<string, (input: unknown, options?: CallOptions) => Promise<unknown>> = {};
  for (const [name, route] of Object.entries(contract.routes as RouteMap)) {
    client[name] = async (input, options = {}) => {
      const request = buildRequest(route, input);
      const raw = await transport.call(request, { idempotent: route.idempotent, ...options });
      if (transport.target === 'in-process') return raw;
      const parsed = route.output.safeParse(raw);
      if (parsed.success) return parsed.data;
      throw new HostServiceError(
        `${contract.name} sent a response to ${name} that does not match its contract: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
        { status: 200, details: { service: contract.name, route: name, target: transport.target } },
      );
    };
  }
  return client as ServiceClient<C>;
}
