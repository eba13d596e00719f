import { z } from 'zod';

/**
 * A date-time string `Date.parse` understands (ISO 8601, e.g. `2024-01-31T00:00:00Z`): the schema
 * every contract uses for dates on the wire.
 */
export const isoDateString = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date');
