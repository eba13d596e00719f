import { ValidationError } from '@ktrdr/core/errors';
import { civilFromDays, daysFromCivil, dateKeyOfDays, weekdayOfDays } from '../domain/civil-date';
import { memoiseTradingDays, type Session, type TradingCalendar, type TradingDay } from './trading-calendar';
import { assertTimeZone, zonedTimeToUtc } from './time-zone';

/** Sessions read from an IB contract-details `tradingHours` or `liquidHours` string. */
export interface ParsedTradingHours {
  /** The IANA zone the wall-clock times were read in. */
  timeZone: string;
  /** Sessions keyed by the day number of the date IB listed them under (days since 1970-01-01). */
  days: ReadonlyMap<number, readonly Session[]>;
  /** Dates IB listed as `CLOSED`, `YYYY-MM-DD`. */
  closedDates: readonly string[];
  /** Every session, sorted, UTC. */
  sessions: readonly Session[];
}

// IB's contract details name zones in several ways; map the non-IANA ones it is known to send.
const IB_ZONE_ALIASES: Record<string, string> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  EST5EDT: 'America/New_York',
  'US/EASTERN': 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CST6CDT: 'America/Chicago',
  'US/CENTRAL': 'America/Chicago',
  MST: 'America/Denver',
  MST7MDT: 'America/Denver',
  'US/MOUNTAIN': 'America/Denver',
  PST: 'America/Los_Angeles',
  PST8PDT: 'America/Los_Angeles',
  'US/PACIFIC': 'America/Los_Angeles',
};

/**
 * Turns an IB `timeZoneId` (`US/Eastern`, `EST (Eastern Standard Time)`, `America/New_York`...) into
 * an IANA zone.
 * @throws ValidationError (`details.field = 'timeZoneId'`) when the zone is unknown.
 */
export function normaliseIbTimeZone(timeZoneId: string): string {
  // Newer gateways send "EST (Eastern Standard Time)": the code before the parenthesis is the zone.
  const code = timeZoneId.replace(/\(.*\)/, '').trim();
  const zone = IB_ZONE_ALIASES[code.toUpperCase()] ?? code;
  try {
    assertTimeZone(zone);
  } catch (cause) {
    throw new ValidationError(
      `Unknown IB time zone '${timeZoneId}': expected an IANA name such as America/New_York.`,
      {
        details: { field: 'timeZoneId', value: timeZoneId },
        cause,
      },
    );
  }
  return zone;
}

const ENTRY = /^(\d{8}):(.+)$/;
const BOUND = /^(?:(\d{8}):)?(\d{2})(\d{2})$/;

/**
 * Parses IB `tradingHours`/`liquidHours`, in both the current form
 * `20240101:CLOSED;20240102:0930-20240102:1600` and the older `20090507:0700-1830,1830-2330`, where
 * an end earlier than its start means the next day. Times are wall-clock in `timeZoneId`.
 * @throws ValidationError (`details.field = 'tradingHours'`) on malformed text.
 */
export function parseIbTradingHours(text: string, timeZoneId: string): ParsedTradingHours {
  const timeZone = normaliseIbTimeZone(timeZoneId);
  const days = new Map<number, Session[]>();
  const closedDates: string[] = [];
  const sessions: Session[] = [];
  for (const rawEntry of text.split(';')) {
    const entry = rawEntry.trim();
    if (entry === '') continue;
    const match = ENTRY.exec(entry);
    if (match === null) throw hoursError(text, entry);
    const dateText = match[1] as string;
    const dayNumber = dayOf(dateText, text, entry);
    const rest = (match[2] as string).trim();
    const list = days.get(dayNumber) ?? [];
    days.set(dayNumber, list);
    if (rest.toUpperCase() === 'CLOSED') {
      closedDates.push(dateKeyOfDays(dayNumber));
      continue;
    }
    for (const range of rest.split(',')) {
      const [fromText, toText, extra] = range.trim().split('-');
      if (fromText === undefined || toText === undefined || extra !== undefined)
        throw hoursError(text, entry);
      const from = bound(fromText, dayNumber, text, entry);
      let to = bound(toText, dayNumber, text, entry);
      // Old form without dates: an end at or before the start is on the following day.
      if (!toText.includes(':') && to.minutes <= from.minutes && to.day === from.day)
        to = { ...to, day: to.day + 1 };
      const s = { start: wallToUtc(timeZone, from), end: wallToUtc(timeZone, to) };
      if (!(s.end > s.start)) throw hoursError(text, entry);
      list.push(s);
      sessions.push(s);
    }
  }
  sessions.sort((a, b) => a.start - b.start);
  for (const list of days.values()) list.sort((a, b) => a.start - b.start);
  return { timeZone, days, closedDates, sessions };
}

/**
 * A calendar that takes sessions from contract details for the dates they list and defers to
 * `fallback` (a built-in calendar) for every other date. Contract details cover only the coming
 * days, so history always comes from the fallback. A listed date is reported `open` when it has
 * sessions; a `CLOSED` weekday borrows the fallback's reason (holiday, closure) or else is `holiday`.
 */
export function calendarFromTradingHours(
  hours: ParsedTradingHours,
  fallback: TradingCalendar,
): TradingCalendar {
  const tradingDay = memoiseTradingDays((dayNumber): TradingDay => {
    const listed = hours.days.get(dayNumber);
    if (listed === undefined) return fallback.tradingDay(dayNumber);
    const date = dateKeyOfDays(dayNumber);
    if (listed.length > 0) return { date, dayNumber, status: 'open', sessions: listed };
    const weekday = weekdayOfDays(dayNumber);
    if (weekday === 0 || weekday === 6) return { date, dayNumber, status: 'weekend', sessions: [] };
    const known = fallback.tradingDay(dayNumber);
    if (known.status === 'holiday' || known.status === 'market_closure') return { ...known, sessions: [] };
    return { date, dayNumber, status: 'holiday', name: 'closed per contract details', sessions: [] };
  });
  return { name: `${fallback.name}+contract-hours`, timeZone: hours.timeZone, tradingDay };
}

interface WallTime {
  day: number;
  minutes: number;
}

function dayOf(yyyymmdd: string, text: string, entry: string): number {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > 31) throw hoursError(text, entry);
  return daysFromCivil(year, month, day);
}

function bound(value: string, listedDay: number, text: string, entry: string): WallTime {
  const match = BOUND.exec(value.trim());
  if (match === null) throw hoursError(text, entry);
  const hour = Number(match[2]);
  const minute = Number(match[3]);
  // 2400 appears in some feeds as "end of day".
  if (hour > 24 || minute > 59 || (hour === 24 && minute !== 0)) throw hoursError(text, entry);
  return {
    day: match[1] === undefined ? listedDay : dayOf(match[1], text, entry),
    minutes: hour * 60 + minute,
  };
}

function wallToUtc(timeZone: string, wall: WallTime): number {
  const day = wall.day + Math.floor(wall.minutes / 1440);
  const minutes = wall.minutes % 1440;
  const { year, month, day: dayOfMonth } = civilFromDays(day);
  return zonedTimeToUtc(timeZone, year, month, dayOfMonth, Math.floor(minutes / 60), minutes % 60);
}

function hoursError(text: string, entry: string): ValidationError {
  return new ValidationError(
    `Cannot read trading hours entry '${entry}': expected 'YYYYMMDD:CLOSED' or 'YYYYMMDD:HHMM-YYYYMMDD:HHMM'.`,
    {
      details: { field: 'tradingHours', entry, value: text.length > 200 ? `${text.slice(0, 200)}...` : text },
    },
  );
}
