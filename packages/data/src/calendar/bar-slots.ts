import { ValidationError } from '@ktrdr/core/errors';
import { DAY_MS, civilFromDays, daysFromCivil, weekdayOfDays } from '../domain/civil-date';
import { TIMEFRAME_SPECS, type Timeframe } from '../domain/timeframes';
import { sessionsBetween, type TradingCalendar } from './trading-calendar';
import { localDayNumber, localMidnightUtc } from './time-zone';

/**
 * Receives each expected bar slot `[start, end)` (UTC epoch ms), in increasing order, slots never
 * overlapping.
 */
export type SlotVisitor = (start: number, end: number) => void;

/** Refuse to materialise more slots than this in one array (160 MB of Float64); stream instead. */
export const MAX_MATERIALISED_SLOTS = 10_000_000;

/**
 * Visits the bar slots of `timeframe` that `calendar` expects to hold a bar and whose start lies in
 * `[startMs, endMs)`. A slot is where one bar's start time is expected:
 * - intraday (1m-4h): a grid of bar-length steps from each local midnight of the calendar's zone
 *   (so 4h bars line up with the exchange day across DST), kept when it overlaps a session. IB
 *   labels a session's first bar with the session open (09:30), which lies inside the 09:00 slot;
 * - `1d`: the UTC day of each open trading date, where IB and the Python store put daily bars;
 * - `1w`: Saturday-to-Saturday UTC weeks with an open day, so a week bar labelled Sunday, Monday or
 *   Friday falls in the same slot;
 * - `1M`: UTC calendar months with an open day.
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
      return visitWeeks(calendar, startMs, endMs, visit);
    case '1M':
      return visitMonths(calendar, startMs, endMs, visit);
    default:
      return visitIntraday(calendar, TIMEFRAME_SPECS[timeframe].ms, startMs, endMs, visit);
  }
}

/** The expected slots of {@link forEachExpectedSlot} as arrays of starts and ends. */
export function expectedBarSlots(
  calendar: TradingCalendar,
  timeframe: Timeframe,
  startMs: number,
  endMs: number,
): { starts: Float64Array; ends: Float64Array } {
  const starts: number[] = [];
  const ends: number[] = [];
  forEachExpectedSlot(calendar, timeframe, startMs, endMs, (start, end) => {
    if (starts.length >= MAX_MATERIALISED_SLOTS) {
      throw new ValidationError(
        `More than ${MAX_MATERIALISED_SLOTS} ${timeframe} bars expected in the range: use a shorter range or forEachExpectedSlot.`,
        { details: { field: 'range', timeframe } },
      );
    }
    starts.push(start);
    ends.push(end);
  });
  return { starts: Float64Array.from(starts), ends: Float64Array.from(ends) };
}

/** Start times (UTC epoch ms) of the bars `calendar` expects for `timeframe` in `[startMs, endMs)`. */
export function expectedBarTimes(
  calendar: TradingCalendar,
  timeframe: Timeframe,
  startMs: number,
  endMs: number,
): Float64Array {
  return expectedBarSlots(calendar, timeframe, startMs, endMs).starts;
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
        visit(t, end);
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
    if (isOpen(calendar, day)) visit(day * DAY_MS, (day + 1) * DAY_MS);
  }
}

function visitWeeks(calendar: TradingCalendar, startMs: number, endMs: number, visit: SlotVisitor): void {
  let week = Math.ceil(startMs / DAY_MS);
  week += (6 - weekdayOfDays(week) + 7) % 7; // first Saturday at or after the start
  for (; week * DAY_MS < endMs; week += 7) {
    for (let d = week; d < week + 7; d++) {
      if (isOpen(calendar, d)) {
        visit(week * DAY_MS, (week + 7) * DAY_MS);
        break;
      }
    }
  }
}

function visitMonths(calendar: TradingCalendar, startMs: number, endMs: number, visit: SlotVisitor): void {
  const first = civilFromDays(Math.floor(startMs / DAY_MS));
  let year = first.year;
  let month = first.month;
  if (daysFromCivil(year, month, 1) * DAY_MS < startMs)
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  for (;;) {
    const from = daysFromCivil(year, month, 1);
    if (from * DAY_MS >= endMs) return;
    const [nextYear, nextMonth] = month === 12 ? [year + 1, 1] : [year, month + 1];
    const to = daysFromCivil(nextYear, nextMonth, 1);
    for (let d = from; d < to; d++) {
      if (isOpen(calendar, d)) {
        visit(from * DAY_MS, to * DAY_MS);
        break;
      }
    }
    year = nextYear;
    month = nextMonth;
  }
}
