import { ServiceConfigurationError } from '../errors/index';

/** Where a configuration value came from, so an error can name it. */
export interface ValueSource {
  /** The environment variable or option name. */
  name: string;
  raw: string;
}

const TRUE_VALUES = ['true', '1', 'yes', 'on'];
const FALSE_VALUES = ['false', '0', 'no', 'off'];

function fail(source: ValueSource, accepted: string): never {
  throw new ServiceConfigurationError(
    `Invalid value ${JSON.stringify(source.raw)} for ${source.name}: expected ${accepted}.`,
    { details: { variable: source.name, value: source.raw, accepted } },
  );
}

/** Parses a boolean flag; accepts true/false, 1/0, yes/no, on/off in any case. */
export function parseBoolean(source: ValueSource): boolean {
  const value = source.raw.trim().toLowerCase();
  if (TRUE_VALUES.includes(value)) return true;
  if (FALSE_VALUES.includes(value)) return false;
  return fail(source, `one of ${[...TRUE_VALUES, ...FALSE_VALUES].join(', ')}`);
}

/** Parses an absolute http(s) URL and drops a trailing slash so paths can be appended. */
export function parseHttpUrl(source: ValueSource): string {
  const value = source.raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(source, 'an absolute http:// or https:// URL, e.g. http://localhost:8001');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(source, 'an absolute http:// or https:// URL, e.g. http://localhost:8001');
  }
  return value.replace(/\/+$/, '');
}

/** Parses an integer in `[min, max]`. */
export function parseInteger(source: ValueSource, min: number, max: number): number {
  const value = source.raw.trim();
  const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    return fail(source, `an integer from ${min} to ${max}`);
  }
  return parsed;
}

function positiveNumber(source: ValueSource): number | undefined {
  const text = source.raw.trim();
  const value = Number(text);
  return text !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Parses a positive number of seconds and returns whole milliseconds (at least 1). */
export function parseSecondsAsMs(source: ValueSource): number {
  const seconds = positiveNumber(source);
  if (seconds === undefined) return fail(source, 'a positive number of seconds, e.g. 30');
  return Math.max(1, Math.round(seconds * 1000));
}

/** Parses a positive number of milliseconds. */
export function parsePositiveMs(source: ValueSource): number {
  const ms = positiveNumber(source);
  if (ms === undefined) return fail(source, 'a positive number of milliseconds, e.g. 30000');
  return ms;
}

/** Parses a non-empty host name or address. */
export function parseHost(source: ValueSource): string {
  const value = source.raw.trim();
  if (value === '' || /[\s/]/.test(value)) return fail(source, 'a host name or IP address, e.g. 127.0.0.1');
  return value;
}

/** Parses a non-empty folder path. */
export function parsePath(source: ValueSource): string {
  const value = source.raw.trim();
  if (value === '' || value.includes('\0')) return fail(source, 'a folder path');
  return value;
}

/** Parses one of `choices` (case-insensitive). */
export function parseChoice<T extends string>(source: ValueSource, choices: readonly T[]): T {
  const value = source.raw.trim().toLowerCase();
  const match = choices.find((choice) => choice === value);
  if (match === undefined) return fail(source, `one of ${choices.join(', ')}`);
  return match;
}
