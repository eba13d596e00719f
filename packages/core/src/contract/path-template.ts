import { ValidationError } from '../errors/index';

/** A compiled `:param` path template. @internal */
export interface PathTemplate {
  readonly template: string;
  readonly params: readonly string[];
  match(path: string): Record<string, string> | undefined;
  fill(values: Record<string, unknown>): string;
}

const cache = new Map<string, PathTemplate>();

/**
 * Encodes one path parameter. `.` and `..` survive percent-encoding and URL normalisation would turn
 * them into another path (another route): refuse them.
 */
function encodeSegment(name: string, value: unknown): string {
  const text = String(value ?? '');
  if (text === '.' || text === '..') {
    throw new ValidationError(`Path parameter ${name} cannot be "${text}"`, { details: { field: name } });
  }
  return encodeURIComponent(text);
}

/** Compiles (and caches) a path template such as `/data/symbol-info/:symbol`. @internal */
export function compilePath(template: string): PathTemplate {
  const cached = cache.get(template);
  if (cached !== undefined) return cached;
  const segments = template.split('/');
  const params = segments.filter((segment) => segment.startsWith(':')).map((segment) => segment.slice(1));
  const pattern = segments
    .map((segment) => (segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const regex = new RegExp(`^${pattern}/?$`);
  const compiled: PathTemplate = {
    template,
    params,
    match(path) {
      const m = regex.exec(path);
      if (m === null) return undefined;
      const values: Record<string, string> = {};
      params.forEach((name, i) => {
        const raw = m[i + 1] ?? '';
        try {
          values[name] = decodeURIComponent(raw);
        } catch {
          // A broken %-escape is the caller's mistake (400), not a server failure.
          throw new ValidationError(`Malformed percent-encoding in path parameter ${name}: ${raw}`, {
            details: { field: name },
          });
        }
      });
      return values;
    },
    // Called on every client call: a template without parameters is its own path.
    fill:
      params.length === 0
        ? () => template
        : (values) =>
            segments
              .map((segment) =>
                segment.startsWith(':') ? encodeSegment(segment.slice(1), values[segment.slice(1)]) : segment,
              )
              .join('/'),
  };
  cache.set(template, compiled);
  return compiled;
}
