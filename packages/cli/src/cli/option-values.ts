import { CliUsageError } from './cli-errors';

/** A positive integer option such as `--rows 10`. */
export function parsePositiveInteger(value: unknown, option: string, command: string): number {
  const text = String(value ?? '').trim();
  const parsed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new CliUsageError(`Invalid ${option} '${text}': use a positive whole number such as 10.`, command);
  }
  return parsed;
}

/** An optional positive integer option. */
export function parseOptionalPositiveInteger(
  value: unknown,
  option: string,
  command: string,
): number | undefined {
  return value === undefined || value === '' ? undefined : parsePositiveInteger(value, option, command);
}

/** A non-negative number option such as `--latency 50`. */
export function parseNonNegativeNumber(value: unknown, option: string, command: string): number {
  const text = String(value ?? '').trim();
  const parsed = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new CliUsageError(`Invalid ${option} '${text}': use a number of 0 or more.`, command);
  }
  return parsed;
}

/**
 * Checks that a date option reads as an ISO 8601 date (`2024-01-31`, `2024-01-31T14:30:00Z`) and
 * returns it unchanged: the SDK interprets it (dates without an offset are UTC there).
 */
export function parseIsoDate(value: unknown, option: string, command: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  // Date.parse accepts 2024-02-30 (as March 1st): check the calendar date as well.
  const [year, month, day] = (match ?? []).slice(1, 4).map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (
    match === null ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    Number.isNaN(Date.parse(text.replace(' ', 'T')))
  ) {
    throw new CliUsageError(
      `Invalid ${option} '${text}': use an ISO 8601 date such as 2024-01-31 or 2024-01-31T14:30:00Z.`,
      command,
    );
  }
  return text;
}

/** One of a fixed set of words, e.g. the load mode. */
export function parseChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
  option: string,
  command: string,
): T {
  const text = String(value ?? '').trim();
  if (!(choices as readonly string[]).includes(text)) {
    throw new CliUsageError(`Invalid ${option} '${text}': use one of ${choices.join(', ')}.`, command);
  }
  return text as T;
}

/** A `--port` option: a whole number from 0 to 65535, where 0 picks a free port. */
export function parsePort(value: unknown, command: string): number {
  const text = String(value ?? '').trim();
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new CliUsageError(
      `Invalid --port '${text}': use a whole number from 0 to 65535 (0 picks a free port).`,
      command,
    );
  }
  return port;
}
