import type { TradingCalendar } from '../calendar/trading-calendar';
import { localDayNumber } from '../calendar/time-zone';
import { DAY_MS } from '../domain/civil-date';
import { type Timeframe, maxRequestMs } from '../domain/timeframes';
import type { PacingPolicy } from './pacing-types';

/** How long one historical request may be. */
export interface RequestSpanLimit {
  /** Longest span in calendar milliseconds. */
  maxMs: number;
  /**
   * Most trading sessions of data one request may cover, or undefined when only `maxMs` bounds it.
   * It is sent as `N D` (IB counts `D` in sessions) with one more session as a margin, so it asks
   * for at most the practical cap.
   */
  maxSessions?: number;
}

/** Options of {@link requestSpanLimit}. */
export interface RequestSpanOptions {
  /** Sessions per 1-minute-bar request under `practical` (1-5, default 5; `KTRDR_IB_1M_SESSIONS`). */
  minuteBarSessions?: number;
}

/**
 * Sessions per request under the `practical` policy, from IB's step-size table (durations in `D`
 * are allowed for bars of 5 s to 1 hour, `W` to 4 hours, `Y` from 1 minute) capped at what gateways
 * answer in practice: 1-minute bars over more than 5 days time out. The caps stay within the
 * simulator's practical limits (`ib-sim`'s `PRACTICAL_MAX_DURATION_SECONDS`). Daily and longer
 * bars keep the strict limits, which already fetch a year or more per request.
 */
const PRACTICAL_SESSIONS: Partial<Record<Timeframe, number>> = {
  '1m': 5,
  '5m': 30,
  '15m': 60,
  '30m': 90,
  '1h': 180,
  '2h': 250,
  '3h': 250,
  '4h': 250,
};

/** Sessions a 1-minute-bar request may span at most, whatever is configured: longer ones time out. */
export const MAX_MINUTE_BAR_SESSIONS = 5;

/**
 * Sessions of data per request, out of the sessions it asks for: one session of each request is a
 * margin, so a session the built-in calendar does not know (an exchange open on a day it lists as
 * a holiday) can never push the first session of a segment out of IB's answer.
 */
function dataSessions(askedSessions: number): number {
  return Math.max(1, askedSessions - 1);
}

/**
 * The span limit of one request of `timeframe` under `policy`. `strict` keeps the conservative
 * limits of the Python system (one day of 1-minute bars); `practical` counts trading sessions,
 * so a request never spans more than IB answers and a week of 1-minute bars is one request.
 */
export function requestSpanLimit(
  timeframe: Timeframe,
  policy: PacingPolicy,
  options: RequestSpanOptions = {},
): RequestSpanLimit {
  const strict = { maxMs: maxRequestMs(timeframe) };
  const sessions = PRACTICAL_SESSIONS[timeframe];
  if (policy === 'strict' || sessions === undefined) return strict;
  const asked =
    timeframe === '1m'
      ? Math.max(1, Math.min(MAX_MINUTE_BAR_SESSIONS, Math.floor(options.minuteBarSessions ?? sessions)))
      : sessions;
  const maxSessions = dataSessions(asked);
  // A session per calendar day at most, and room for weekends and holidays in between.
  return { maxSessions, maxMs: Math.ceil(maxSessions * 1.5 + 4) * DAY_MS };
}

/**
 * The trading days of `calendar` whose sessions overlap `[start, end)`, as local day numbers,
 * oldest first: what IB counts when a request ending at `end` asks for `N D`.
 */
export function sessionDaysBetween(calendar: TradingCalendar, start: number, end: number): number[] {
  if (!(end > start)) return [];
  // A day's session can begin on the previous date (forex, futures): look one day beyond each end.
  const first = localDayNumber(calendar.timeZone, start) - 1;
  const last = localDayNumber(calendar.timeZone, end - 1) + 1;
  const days: number[] = [];
  for (let d = first; d <= last; d++) {
    if (calendar.tradingDay(d).sessions.some((s) => s.start < end && s.end > start)) days.push(d);
  }
  return days;
}

/**
 * IB's duration for a request of `timeframe` bars covering `[start, end)` under the `practical`
 * policy: the trading sessions it touches plus one (see `dataSessions`), as `N D`, within the
 * timeframe's practical cap. Undefined when the range is shorter than a day (seconds are exact),
 * the timeframe has no session cap (daily and longer bars), or the calendar has no session in it.
 */
export function sessionDuration(
  timeframe: Timeframe,
  calendar: TradingCalendar,
  start: number,
  end: number,
): string | undefined {
  const cap = PRACTICAL_SESSIONS[timeframe];
  if (cap === undefined || end - start < DAY_MS) return undefined;
  const sessions = sessionDaysBetween(calendar, start, end).length;
  if (sessions === 0) return undefined;
  return `${Math.min(timeframe === '1m' ? MAX_MINUTE_BAR_SESSIONS : cap, sessions + 1)} D`;
}
