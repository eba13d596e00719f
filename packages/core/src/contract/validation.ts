import type { z } from 'zod';
import { ValidationError } from '../errors/index';

/**
 * Parses `value` with `schema`, turning schema issues into one {@link ValidationError} whose message
 * and `details.field` name the first offending field; all issues are in `details.issues`. The same
 * error every route of a contract answers bad input with: use it for routes served by hand.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const first = issues[0] ?? { field: '(root)', message: 'invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ValidationError(`Invalid ${what}: ${first.field}: ${first.message}${more}`, {
    details: { field: first.field, issues },
  });
}
