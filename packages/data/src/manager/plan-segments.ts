import type { TradingCalendar } from '../calendar/trading-calendar';
import { localDayNumber } from '../calendar/time-zone';
import type { Timeframe } from '../domain/timeframes';
import { maxRequestMs } from '../domain/timeframes';
import { fetchRanges } from '../gaps/fetch-ranges';
import type { Gap, TimeRange } from '../gaps/gap-types';
import { type SegmentOrder, segmentRange } from '../gaps/segmentation';
import { type RequestSpanLimit, sessionDaysBetween } from '../ib/request-spans';

/** A request limit counted in trading sessions of `calendar` (the `practical` pacing policy). */
export interface SessionSpan {
  limit: RequestSpanLimit;
  /** The calendar the gaps were found with: its sessions are what a request's `N D` counts. */
  calendar: TradingCalendar;
}

/** A stretch of one gap inside one trading day's sessions. */
interface Piece extends TimeRange {
  /** Local day number of the trading day; consecutive pieces of one day count as one session. */
  day: number;
}

/**
 * The requests a load sends: the `unexpected` gaps, packed greedily into segments no longer than
 * the timeframe's request limit, never joining gaps across stored bars (the joins of
 * `fetchRanges`). Cutting ranges at fixed lengths instead would send requests that hold only a
 * weekend (IB answers them with nothing) and cut sessions in two, so every request would have to
 * ask for two sessions to get one: with one-day 1-minute requests that is 45% more requests under
 * IB's pacing rules and twice the bars on the wire.
 *
 * Without `span`, the limit is the timeframe's fixed length (the `strict` policy), and a single gap
 * longer than it (a market open around the clock) is cut with `segmentRange`. With `span`, gaps are
 * cut at trading-day boundaries and packed up to `span.limit.maxSessions` sessions per request, so
 * every segment follows whole sessions and none asks only for a closed market.
 * @param gaps the gaps in time order, closed-market gaps included so ranges can bridge them.
 */
export function planSegments(
  gaps: readonly Gap[],
  timeframe: Timeframe,
  order: SegmentOrder,
  span?: SessionSpan,
): TimeRange[] {
  const limit = span?.limit.maxMs ?? maxRequestMs(timeframe);
  const unexpected = gaps.filter((gap) => gap.kind === 'unexpected');
  const segments: TimeRange[] = [];
  let next = 0;
  for (const range of fetchRanges(gaps)) {
    const inside: TimeRange[] = [];
    while (next < unexpected.length && (unexpected[next] as Gap).start < range.end) {
      const gap = unexpected[next++] as Gap;
      if (gap.start >= range.start) inside.push({ start: gap.start, end: gap.end });
    }
    segments.push(
      ...(span?.limit.maxSessions === undefined
        ? pack(inside, limit, timeframe, order)
        : packSessions(
            inside.flatMap((r) => piecesOf(r, span.calendar)),
            limit,
            span.limit.maxSessions,
            order,
          )),
    );
  }
  return order === 'newest_first' ? segments.sort((a, b) => b.start - a.start) : segments;
}

/** Greedy packing of ordered, disjoint ranges into spans of at most `limit` ms. */
function pack(ranges: TimeRange[], limit: number, timeframe: Timeframe, order: SegmentOrder): TimeRange[] {
  const newestFirst = order === 'newest_first';
  const out: TimeRange[] = [];
  let current: TimeRange | undefined;
  const flush = (): void => {
    if (current !== undefined) out.push(current);
    current = undefined;
  };
  for (const range of newestFirst ? [...ranges].reverse() : ranges) {
    if (range.end - range.start > limit) {
      flush();
      out.push(...segmentRange(range, timeframe, { order }));
    } else if (current === undefined) {
      current = { ...range };
    } else if (newestFirst ? current.end - range.start <= limit : range.end - current.start <= limit) {
      if (newestFirst) current.start = range.start;
      else current.end = range.end;
    } else {
      flush();
      current = { ...range };
    }
  }
  flush();
  return out;
}

/**
 * `range` cut into one piece per trading day whose sessions it overlaps, at the end of each day's
 * last session. The pieces cover the whole range: a bar that starts before the open (an hourly bar
 * at 9:00 overlapping a 9:30 open) or after the close (extended hours) lies in the gap the manager
 * found, so it must lie in some request too. Clipping pieces to the sessions dropped such bars.
 */
function piecesOf(range: TimeRange, calendar: TradingCalendar): Piece[] {
  const pieces: Piece[] = [];
  let start = range.start;
  for (const day of sessionDaysBetween(calendar, range.start, range.end)) {
    const sessions = calendar.tradingDay(day).sessions;
    const close = Math.min(range.end, Math.max(...sessions.map((session) => session.end)));
    if (close > start) {
      pieces.push({ start, end: close, day });
      start = close;
    }
  }
  const last = pieces.at(-1);
  // Not in any session of the calendar (it cannot come from the same calendar's gaps): kept whole.
  if (last === undefined) return [{ ...range, day: localDayNumber(calendar.timeZone, range.start) }];
  // What follows the last close (after-hours up to the range's end) belongs to that day's request.
  last.end = range.end;
  return pieces;
}

/** Greedy packing of ordered pieces into spans of at most `maxSessions` trading days and `limit` ms. */
function packSessions(pieces: Piece[], limit: number, maxSessions: number, order: SegmentOrder): TimeRange[] {
  const newestFirst = order === 'newest_first';
  const out: TimeRange[] = [];
  let current: (TimeRange & { days: number; lastDay: number }) | undefined;
  for (const piece of newestFirst ? [...pieces].reverse() : pieces) {
    const days = current === undefined ? 0 : current.days + (piece.day === current.lastDay ? 0 : 1);
    const spanMs =
      current === undefined ? 0 : Math.max(current.end, piece.end) - Math.min(current.start, piece.start);
    if (current !== undefined && days <= maxSessions && spanMs <= limit) {
      current.start = Math.min(current.start, piece.start);
      current.end = Math.max(current.end, piece.end);
      current.days = days;
      current.lastDay = piece.day;
      continue;
    }
    if (current !== undefined) out.push({ start: current.start, end: current.end });
    current = { start: piece.start, end: piece.end, days: 1, lastDay: piece.day };
  }
  if (current !== undefined) out.push({ start: current.start, end: current.end });
  return out;
}
