/**
 * Trading sessions per asset class. A session is identified by its trading date (the date IB labels
 * daily bars with) and spans the full tradable window; `rth*` is the regular-trading-hours part that
 * `useRTH=1` selects.
 */
import { isNyseEarlyClose, isNyseHoliday, isNyseTradingDay, isWeekday } from './calendar';
import { localSeconds, zonedTimeToEpoch } from './time-zones';

/**
 * Session rules:
 * - `us-equity`: NYSE days, RTH 09:30-16:00 New York, extended 04:00-20:00 (13:00 / 17:00 on early closes).
 * - `forex`: Sunday 17:00 to Friday 17:00 New York, one session per weekday ending 17:00; RTH = all.
 * - `cme-futures`: CME Globex equity futures, 17:00 previous day to 16:00 Chicago (the daily
 *   16:00-17:00 break separates sessions), no session on NYSE holidays; RTH 08:30-15:00 Chicago.
 */
export type SessionKind = 'us-equity' | 'forex' | 'cme-futures';

/** One trading session, in epoch seconds; `end`/`rthEnd` are exclusive. */
export interface TradingSession {
  /** Trading date as a day number (days since 1970-01-01). */
  readonly day: number;
  readonly start: number;
  readonly end: number;
  readonly rthStart: number;
  readonly rthEnd: number;
}

/** The zone each kind's rules are written in; bars of that kind are labelled in it too. */
export const SESSION_TIME_ZONES: Readonly<Record<SessionKind, string>> = {
  'us-equity': 'America/New_York',
  forex: 'America/New_York',
  'cme-futures': 'America/Chicago',
};

const sessionCache = new Map<string, TradingSession | null>();
const MAX_CACHED_SESSIONS = 100_000;

function buildSession(kind: SessionKind, day: number): TradingSession | undefined {
  const zone = SESSION_TIME_ZONES[kind];
  const at = (d: number, hour: number, minute: number): number => zonedTimeToEpoch(zone, d, hour, minute);
  switch (kind) {
    case 'us-equity': {
      if (!isNyseTradingDay(day)) return undefined;
      const early = isNyseEarlyClose(day);
      return {
        day,
        start: at(day, 4, 0),
        end: at(day, early ? 17 : 20, 0),
        rthStart: at(day, 9, 30),
        rthEnd: at(day, early ? 13 : 16, 0),
      };
    }
    case 'forex': {
      if (!isWeekday(day)) return undefined;
      const start = at(day - 1, 17, 0);
      const end = at(day, 17, 0);
      return { day, start, end, rthStart: start, rthEnd: end };
    }
    case 'cme-futures': {
      if (!isWeekday(day) || isNyseHoliday(day)) return undefined;
      return {
        day,
        start: at(day - 1, 17, 0),
        end: at(day, 16, 0),
        rthStart: at(day, 8, 30),
        rthEnd: at(day, 15, 0),
      };
    }
  }
}

/** The session with a given trading date, or `undefined` when the market is closed that day. */
export function sessionOn(kind: SessionKind, day: number): TradingSession | undefined {
  const key = `${kind}|${day}`;
  const cached = sessionCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const session = buildSession(kind, day);
  if (sessionCache.size >= MAX_CACHED_SESSIONS) sessionCache.clear();
  sessionCache.set(key, session ?? null);
  return session;
}

/** Start and end of the part of a session a request selects. */
export function sessionWindow(session: TradingSession, useRth: boolean): readonly [number, number] {
  return useRth ? [session.rthStart, session.rthEnd] : [session.start, session.end];
}

/** Local trading date (day number) of an instant in the kind's zone. */
export function localDayOf(kind: SessionKind, epochSeconds: number): number {
  return Math.floor(localSeconds(SESSION_TIME_ZONES[kind], epochSeconds) / 86400);
}

/** Sessions whose selected window overlaps `[from, to)`, oldest first. */
export function sessionsOverlapping(
  kind: SessionKind,
  from: number,
  to: number,
  useRth: boolean,
): TradingSession[] {
  const sessions: TradingSession[] = [];
  if (to <= from) return sessions;
  // Forex and futures sessions open the evening before their trading date, hence the day of slack.
  const lastDay = localDayOf(kind, to) + 1;
  for (let day = localDayOf(kind, from) - 1; day <= lastDay; day += 1) {
    const session = sessionOn(kind, day);
    if (!session) continue;
    const [start, end] = sessionWindow(session, useRth);
    if (start < to && end > from) sessions.push(session);
  }
  return sessions;
}

/** The session whose full window contains an instant, if any. */
export function sessionContaining(kind: SessionKind, epochSeconds: number): TradingSession | undefined {
  const day = localDayOf(kind, epochSeconds);
  for (const candidate of [day, day + 1, day - 1]) {
    const session = sessionOn(kind, candidate);
    if (session && session.start <= epochSeconds && epochSeconds < session.end) return session;
  }
  return undefined;
}

/**
 * The last `count` sessions whose selected window starts before `end`, oldest first. This is how a
 * duration of `N D` is measured: N trading sessions, not N calendar days.
 */
export function lastSessionsBefore(
  kind: SessionKind,
  end: number,
  count: number,
  useRth: boolean,
): TradingSession[] {
  const sessions: TradingSession[] = [];
  // Bounded scan: even a long holiday stretch cannot hide more than a few days per session.
  const oldestDay = localDayOf(kind, end) - count * 3 - 14;
  for (let day = localDayOf(kind, end) + 1; day >= oldestDay && sessions.length < count; day -= 1) {
    const session = sessionOn(kind, day);
    if (session && sessionWindow(session, useRth)[0] < end) sessions.push(session);
  }
  return sessions.reverse();
}
