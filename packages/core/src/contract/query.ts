import type { ServiceRequest } from './implement-service';

/** A request's query as URL search params: arrays become repeated keys, undefined values vanish. @internal */
export function toSearchParams(query: ServiceRequest['query']): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else if (value !== undefined) params.append(key, value);
  }
  return params;
}

/**
 * The query a service sees from URL search params: a repeated key is an array, a single one a
 * string. A one-element array therefore arrives as a string; schemas of array inputs accept both.
 * @internal
 */
export function fromSearchParams(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}
