import { localDayNumber } from './time-zone';

/** Why a market is, or is not, open on a day. */
export type DayStatus = 'open' | 'weekend' | 'holiday' | 'market_closure';

/** A trading session: UTC epoch ms, half-open `[start, end)`. */
export interface Session {
  start: number;
  end: number;
}

/** One trading day of a calendar. */
export interface TradingDay {
  /** The trading date in the exchange's zone, `YYYY-MM-DD`. */
  date: string;
  /** Days since 1970-01-01 of `date`. */
  dayNumber: number;
  status: DayStatus;
  /** Holiday or closure name when `status` is `holiday` or `market_closure`. */
  name?: string;
  /** True on shortened sessions (13:00 close before US holidays). */
  earlyClose?: boolean;
  /**
   * Sessions of this trading day, sorted, UTC. A session may start on the previous calendar date:
   * forex trades Monday's session from Sunday 17:00 New York.
   */
  sessions: readonly Session[];
}

/** A market's trading days and sessions. Implementations must be deterministic and cheap to call repeatedly. */
export interface TradingCalendar {
  /** A short name for messages, e.g. `us-stocks-regular`. */
  readonly name: string;
  /** The IANA zone whose calendar dates name trading days and whose midnight anchors intraday bars. */
  readonly timeZone: string;
  /** The trading day on local date `dayNumber` (days since 1970-01-01). */
  tradingDay(dayNumber: number): TradingDay;
}

/** The trading days whose local dates touch `[startMs, endMs)`, oldest first. */
export function tradingDaysBetween(calendar: TradingCalendar, startMs: number, endMs: number): TradingDay[] {
  if (!(endMs > startMs)) return [];
  const first = localDayNumber(calendar.timeZone, startMs);
  const last = localDayNumber(calendar.timeZone, endMs - 1);
  const days: TradingDay[] = [];
  for (let d = first; d <= last; d++) days.push(calendar.tradingDay(d));
  return days;
}

/**
 * The sessions overlapping `[startMs, endMs)`, clipped to it, sorted, with touching or overlapping
 * sessions merged into one.
 */
export function sessionsBetween(calendar: TradingCalendar, startMs: number, endMs: number): Session[] {
  if (!(endMs > startMs)) return [];
  // A day's session can begin on the previous date (forex, futures) or, from contract details, run
  // into the next one, so look one day beyond each end.
  const first = localDayNumber(calendar.timeZone, startMs) - 1;
  const last = localDayNumber(calendar.timeZone, endMs - 1) + 1;
  const raw: Session[] = [];
  for (let d = first; d <= last; d++) {
    for (const s of calendar.tradingDay(d).sessions) {
      const start = Math.max(s.start, startMs);
      const end = Math.min(s.end, endMs);
      if (end > start) raw.push({ start, end });
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: Session[] = [];
  for (const s of raw) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && s.start <= previous.end) previous.end = Math.max(previous.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** True when `ms` lies inside one of the calendar's sessions. */
export function isTradingTime(calendar: TradingCalendar, ms: number): boolean {
  return sessionsBetween(calendar, ms, ms + 1).length > 0;
}

/** Memoises `tradingDay` per day number; calendars are pure functions of the date. */
export function memoiseTradingDays(
  compute: (dayNumber: number) => TradingDay,
): (dayNumber: number) => TradingDay {
  const cache = new Map<number, TradingDay>();
  return (dayNumber) => {
    let day = cache.get(dayNumber);
    if (day === undefined) {
      // Bound memory for long-running processes; recomputing a day costs a few Intl calls.
      if (cache.size >= 50_000) cache.clear();
      day = compute(dayNumber);
      cache.set(dayNumber, day);
    }
    return day;
  };
}
