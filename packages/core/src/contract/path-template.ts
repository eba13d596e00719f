import { ValidationError } from '../errors/index';

/** A compiled `:param` path template. @internal */
export interface PathTemplate {
  readonly template: string;
  readonly params: readonly string[];
  match(path: string): Record<string, string> | undefined;
  fill(values: Record<string, unknown>): string;
}

const cache = new Map<string, PathTemplate>();

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
                segment.startsWith(':')
                  ? encodeURIComponent(String(values[segment.slice(1)] ?? ''))
                  : segment,
              )
              .join('/'),
  };
  cache.set(template, compiled);
  return compiled;
}
