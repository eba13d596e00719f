import { ValidationError } from '@ktrdr/core/errors';

/** Something that names an instant: a `Date`, UTC epoch milliseconds, or an ISO 8601 string. */
export type DateInput = Date | number | string;

declare const EPOCH_MS: unique symbol;

/**
 * UTC epoch milliseconds that {@link toEpochMs} checked (finite). Only `toEpochMs` makes one, so a
 * layer that takes `EpochMs` never parses the date again. It is a number everywhere a number is
 * expected.
 */
export type EpochMs = number & { readonly [EPOCH_MS]: true };

/**
 * Formats UTC epoch milliseconds the way the store and the Python system write dates:
 * `YYYY-MM-DDTHH:MM:SSZ` (sub-second parts dropped).
 */
export function formatIsoUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

// A string without an offset would otherwise be read in the machine's local zone (date-time form).
const HAS_OFFSET = /(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Converts user input to UTC epoch milliseconds. Strings without an offset are read as UTC (never
 * the machine's zone), so results do not depend on where the code runs.
 * @param field the name reported in `details.field` on failure (e.g. `'start'`).
 * @throws ValidationError for unparseable or non-finite input.
 */
export function toEpochMs(value: DateInput, field: string): EpochMs {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    ms = Date.parse(DATE_ONLY.test(text) || HAS_OFFSET.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  } else ms = Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ValidationError(
      `Invalid ${field} '${String(value)}': use an ISO 8601 date such as 2024-01-31T00:00:00Z.`,
      {
        details: { field, value: String(value) },
      },
    );
  }
  return ms as EpochMs;
}
