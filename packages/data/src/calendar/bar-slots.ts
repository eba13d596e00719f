import { ValidationError } from '@ktrdr/core/errors';
import { DAY_MS } from '../domain/civil-date';
import { TIMEFRAME_SPECS, type Timeframe } from '../domain/timeframes';
import { type PeriodTimeframe, periodBarTime, periodDays } from './period-bar-dates';
import { sessionsBetween, type TradingCalendar } from './trading-calendar';
import { localDayNumber, localMidnightUtc } from './time-zone';

/**
 * Receives each expected bar slot `[start, end)` (UTC epoch ms), in increasing order, slots never
 * overlapping, with the time the bar is expected at (`start`, except for weekly and monthly bars,
 * which IB dates by their last trading day).
 */
export type SlotVisitor = (start: number, end: number, barTime: number) => void;

/** Refuse to materialise more slots than this in one array (160 MB of Float64); stream instead. */
export const MAX_MATERIALISED_SLOTS = 10_000_000;

/**
 * Visits the bar slots of `timeframe` that `calendar` expects to hold a bar and whose start lies in
 * `[startMs, endMs)`. A slot is where one bar's start time is expected:
 * - intraday (1m-4h): a grid of bar-length steps from each local midnight of the calendar's zone
 *   (so 4h bars line up with the exchange day across DST), kept when it overlaps a session. IB
 *   labels a session's first bar with the session open (09:30), which lies inside the 09:00 slot;
 * - `1d`: the UTC day of each open trading date, where IB and the Python store put daily bars;
 * - `1w`: Saturday-to-Saturday UTC weeks, `1M`: UTC calendar months, each expected when the date
 *   IB gives its bar (its last open date, see `periodBarTime`) lies in `[startMs, endMs)`; the slot
 *   may then start before `startMs`, since a week or month is fetched whole.
 * Streaming keeps long ranges of 1-minute bars out of memory.
 */
export function forEachExpectedSlot(
  calendar: TradingCalendar,
  timeframe: Timeframe,
  startMs: number,
  endMs: number,
  visit: SlotVisitor,
): void {
  if (!(endMs > startMs)) return;
  switch (timeframe) {
    case '1d':
      return visitDays(calendar, startMs, endMs, visit);
    case '1w':
    case '1M':
      return visitPeriods(calendar, timeframe, startMs, endMs, visit);
    default:
      return visitIntraday(calendar, TIMEFRAME_SPECS[timeframe].ms, startMs, endMs, visit);
  }
}

/** The expected slots of {@link forEachExpectedSlot} as arrays of starts, ends and bar times. */
export function expectedBarSlots(
  calendar: TradingCalendar,
  timeframe: Timeframe,
  startMs: number,
  endMs: number,
): { starts: Float64Array; ends: Float64Array; barTimes: Float64Array } {
  const starts: number[] = [];
  const ends: number[] = [];
  const barTimes: number[] = [];
  forEachExpectedSlot(calendar, timeframe, startMs, endMs, (start, end, barTime) => {
    if (starts.length >= MAX_MATERIALISED_SLOTS) {
      throw new ValidationError(
        `More than ${MAX_MATERIALISED_SLOTS} ${timeframe} bars expected in the range: use a shorter range or forEachExpectedSlot.`,
        { details: { field: 'range', timeframe } },
      );
    }
    starts.push(start);
    ends.push(end);
    barTimes.push(barTime);
  });
  return {
    starts: Float64Array.from(starts),
    ends: Float64Array.from(ends),
    barTimes: Float64Array.from(barTimes),
  };
}

/**
 * Times (UTC epoch ms) of the bars `calendar` expects for `timeframe` in `[startMs, endMs)`: slot
 * starts, except weekly and monthly bars, dated by their last trading day as IB dates them.
 */
export function expectedBarTimes(
  calendar: TradingCalendar,
  timeframe: Timeframe,
  startMs: number,
  endMs: number,
): Float64Array {
  return expectedBarSlots(calendar, timeframe, startMs, endMs).barTimes;
}

function visitIntraday(
  calendar: TradingCalendar,
  step: number,
  startMs: number,
  endMs: number,
  visit: SlotVisitor,
): void {
  const zone = calendar.timeZone;
  const midnights = new Map<number, number>();
  const midnight = (day: number): number => {
    let ms = midnights.get(day);
    if (ms === undefined) {
      ms = localMidnightUtc(zone, day);
      midnights.set(day, ms);
    }
    return ms;
  };
  let lastStart = Number.NEGATIVE_INFINITY;
  // Sessions from one step early, so a slot starting before a session but overlapping it is seen.
  for (const session of sessionsBetween(calendar, startMs - step, endMs + step)) {
    let day = localDayNumber(zone, session.start);
    let dayStart = midnight(day);
    let nextMidnight = midnight(day + 1);
    let t = dayStart + Math.floor((session.start - dayStart) / step) * step;
    while (t < session.end) {
      if (t >= nextMidnight) {
        // The grid restarts at each local midnight (23 h and 25 h days around DST changes).
        day++;
        dayStart = nextMidnight;
        nextMidnight = midnight(day + 1);
        t = dayStart;
        continue;
      }
      const end = Math.min(t + step, nextMidnight);
      if (t > lastStart && t >= startMs && t < endMs) {
        visit(t, end, t);
        lastStart = t;
      }
      t = end;
    }
  }
}

function isOpen(calendar: TradingCalendar, day: number): boolean {
  return calendar.tradingDay(day).status === 'open';
}

function visitDays(calendar: TradingCalendar, startMs: number, endMs: number, visit: SlotVisitor): void {
  for (let day = Math.ceil(startMs / DAY_MS); day * DAY_MS < endMs; day++) {
    if (isOpen(calendar, day)) visit(day * DAY_MS, (day + 1) * DAY_MS, day * DAY_MS);
  }
}

/**
 * A week or month is expected when the date IB gives its bar (the last open date, or the latest
 * before `endMs` for one in progress) lies in the range. Its slot is the whole period, so a bar
 * dated by any of its days (a file written under the old first-day convention too) is found in it,
 * and a fetch of the slot asks for the whole period, never a partial one.
 */
function visitPeriods(
  calendar: TradingCalendar,
  timeframe: PeriodTimeframe,
  startMs: number,
  endMs: number,
  visit: SlotVisitor,
): void {
  let period = periodDays(timeframe, Math.floor(startMs / DAY_MS));
  for (; period.first * DAY_MS < endMs; period = periodDays(timeframe, period.end)) {
    const barTime = periodBarTime(calendar, timeframe, period.first, endMs);
    if (barTime !== undefined && barTime >= startMs)
      visit(period.first * DAY_MS, period.end * DAY_MS, barTime);
  }
}
