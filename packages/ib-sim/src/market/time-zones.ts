/**
 * Time-zone conversion with the platform's Intl database only (no timezone library). Offsets are
 * memoised per zone and UTC hour: US DST transitions happen on whole hours, and serving a year of
 * minute bars would otherwise call Intl hundreds of thousands of times.
 */
import { civilFromDays, daysFromCivil } from './civil-date';

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
/** Bound on memoised hours per zone (about 23 years); beyond it the cache starts over. */
const MAX_CACHED_HOURS = 200_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the platform knows a zone name (IANA names and IB's `US/Eastern`-style aliases). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function computeOffsetSeconds(timeZone: string, epochSeconds: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochSeconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  const hour = get('hour') % 24; // some ICU versions print midnight as 24 even with h23
  const localSeconds =
    daysFromCivil(get('year'), get('month'), get('day')) * 86400 +
    hour * 3600 +
    get('minute') * 60 +
    get('second');
  return localSeconds - Math.floor(epochSeconds);
}

/** Offset of local time from UTC, in seconds, at an instant (e.g. -14400 for New York in summer). */
export function utcOffsetSeconds(timeZone: string, epochSeconds: number): number {
  let cache = offsetCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(timeZone, cache);
  }
  const hour = Math.floor(epochSeconds / 3600);
  let offset = cache.get(hour);
  if (offset === undefined) {
    offset = computeOffsetSeconds(timeZone, hour * 3600);
    if (cache.size >= MAX_CACHED_HOURS) cache.clear();
    cache.set(hour, offset);
  }
  return offset;
}

/** Local wall-clock seconds since 1970-01-01T00:00 local (i.e. epoch seconds shifted by the offset). */
export function localSeconds(timeZone: string, epochSeconds: number): number {
  return epochSeconds + utcOffsetSeconds(timeZone, epochSeconds);
}

/**
 * Epoch seconds of a local wall-clock time. For times skipped by a DST gap the later offset wins;
 * for repeated times the earlier instant is returned, as most schedulers do.
 */
export function zonedTimeToEpoch(
  timeZone: string,
  dayNumber: number,
  hour: number,
  minute: number,
  second = 0,
): number {
  const local = dayNumber * 86400 + hour * 3600 + minute * 60 + second;
  const firstGuess = local - utcOffsetSeconds(timeZone, local);
  const secondGuess = local - utcOffsetSeconds(timeZone, firstGuess);
  if (firstGuess === secondGuess) return firstGuess;
  return Math.min(firstGuess, secondGuess);
}

/** Local calendar date and time of an instant. */
export interface ZonedParts {
  readonly dayNumber: number;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Local date and time of an instant in a zone. */
export function zonedParts(timeZone: string, epochSeconds: number): ZonedParts {
  const local = localSeconds(timeZone, Math.floor(epochSeconds));
  const dayNumber = Math.floor(local / 86400);
  const secondOfDay = local - dayNumber * 86400;
  const { year, month, day } = civilFromDays(dayNumber);
  return {
    dayNumber,
    year,
    month,
    day,
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
    second: secondOfDay % 60,
  };
}
