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
  const params: string[] = [];
  const pattern = template
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(segment.slice(1));
      return '([^/]+)';
    })
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
        values[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return values;
    },
    fill(values) {
      return template
        .split('/')
        .map((segment) =>
          segment.startsWith(':') ? encodeURIComponent(String(values[segment.slice(1)] ?? '')) : segment,
        )
        .join('/');
    },
  };
  cache.set(template, compiled);
  return compiled;
}
