import type { z } from 'zod';
import { ValidationError } from '@ktrdr/core';

/**
 * Validates input of a route served outside the core listener (CSV, server-sent events) with the
 * same error shape the listener produces: one ValidationError naming the first offending field in
 * `details.field`, every issue in `details.issues`. @internal
 */
export function parseRouteInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const first = issues[0] ?? { field: '(root)', message: 'invalid' };
  throw new ValidationError(`Invalid ${what}: ${first.field}: ${first.message}`, {
    details: { field: first.field, issues },
  });
}
