import { ValidationError } from '@ktrdr/core/errors';
import { DAY_MS, daysFromCivil } from '../domain/civil-date';

/** Wall-clock fields of an instant in some time zone; `month` is 1-12, `weekday` 0 = Sunday. */
export interface ZonedDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      // h23 rather than hour12:false: the latter prints midnight as "24" on some ICU versions.
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
      });
    } catch (cause) {
      throw new ValidationError(
        `Unknown time zone '${timeZone}': use an IANA name such as America/New_York.`,
        {
          details: { field: 'timeZone', value: timeZone },
          cause,
        },
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws ValidationError (`details.field = 'timeZone'`) unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall-clock date and time of `ms` (UTC epoch ms) in `timeZone`, via Intl (so DST follows the tz database). */
export function zonedDateTime(timeZone: string, ms: number): ZonedDateTime {
  const out: ZonedDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        out.hour = Number(part.value);
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
      case 'weekday':
        out.weekday = WEEKDAYS[part.value] ?? 0;
        break;
    }
  }
  return out;
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(timeZone: string, ms: number): number {
  const z = zonedDateTime(timeZone, ms);
  const wall =
    (daysFromCivil(z.year, z.month, z.day) * 24 + z.hour) * 3_600_000 + z.minute * 60_000 + z.second * 1000;
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * UTC epoch ms of a wall-clock time in `timeZone` (`month` 1-12). Times that a DST jump skips are
 * shifted by the jump; repeated times resolve to one of the two instants. Exchange session
 * boundaries never fall in those hours.
 */
export function zonedTimeToUtc(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const wall = daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000;
  const firstGuess = wall - zoneOffsetMs(timeZone, wall);
  const offset = zoneOffsetMs(timeZone, firstGuess);
  return wall - offset;
}

/** Local calendar day (days since 1970-01-01) of instant `ms` in `timeZone`. */
export function localDayNumber(timeZone: string, ms: number): number {
  const z = zonedDateTime(timeZone, ms);
  return daysFromCivil(z.year, z.month, z.day);
}

/** UTC epoch ms of local midnight starting local day `dayNumber` in `timeZone`. */
export function localMidnightUtc(timeZone: string, dayNumber: number): number {
  const wall = dayNumber * DAY_MS;
  return wall - zoneOffsetMs(timeZone, wall - zoneOffsetMs(timeZone, wall));
}
