import { ValidationError } from '@ktrdr/core/errors';
import { forEachExpectedSlot } from '../calendar/bar-slots';
import { calendarForInstrument } from '../calendar/exchange-calendars';
import type { TradingCalendar } from '../calendar/trading-calendar';
import type { InstrumentType } from '../domain/symbols';
import { TIMEFRAME_SPECS, type Timeframe } from '../domain/timeframes';
import { classifyClosedInterval } from './gap-classification';
import type { Gap, GapAnalysis, GapPosition } from './gap-types';
import { lowerBound } from '../domain/lower-bound';

/** Options of {@link analyzeGaps}. */
export interface GapAnalysisOptions {
  /** Range start, UTC epoch ms (inclusive). */
  start: number;
  /** Range end, UTC epoch ms (exclusive). */
  end: number;
  timeframe: Timeframe;
  /** The market's calendar; defaults to the built-in one of `instrumentType`. */
  calendar?: TradingCalendar;
  /** Used when no `calendar` is given; default `STK` (regular hours). */
  instrumentType?: InstrumentType;
}

/**
 * Finds the intervals of `[start, end)` without bars and says why each is empty.
 *
 * The calendar's expected bar slots (see `forEachExpectedSlot`) are walked once alongside the bar
 * times: a slot holding no bar is missing, and runs of missing slots become `unexpected` gaps (the
 * only ones worth a fetch). Stretches between expected slots are market-closed time; the parts of
 * them not covered by bars (extended-hours bars may cover some) become `weekend`, `holiday`,
 * `market_closure` or `outside_trading_hours` gaps. Runs in O(slots + bars) without materialising
 * the slots.
 *
 * @param times bar start times (UTC epoch ms), ascending, e.g. `frame.columns().time`.
 * @throws ValidationError when the range is reversed or `times` is not sorted.
 */
export function analyzeGaps(times: ArrayLike<number>, options: GapAnalysisOptions): GapAnalysis {
  const { start, end, timeframe } = options;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) {
    throw new ValidationError(`Invalid range: start (${start}) must be a time before end (${end}).`, {
      details: { field: 'end', start, end },
    });
  }
  assertAscending(times);
  const calendar = options.calendar ?? calendarForInstrument(options.instrumentType ?? 'STK');
  const barMs = TIMEFRAME_SPECS[timeframe].ms;
  const n = times.length;
  const firstIndex = lowerBound(times, start);
  const endIndex = lowerBound(times, end);
  const firstPresent = firstIndex < endIndex ? (times[firstIndex] as number) : undefined;
  const lastPresent = firstIndex < endIndex ? (times[endIndex - 1] as number) : undefined;
  const position = (gapStart: number, gapEnd: number): GapPosition => {
    if (firstPresent === undefined || lastPresent === undefined) return 'no_data';
    if (gapEnd <= firstPresent) return 'before_data';
    if (gapStart > lastPresent) return 'after_data';
    return 'within_data';
  };

  const gaps: Gap[] = [];
  let expectedBars = 0;
  let presentBars = 0;
  // First bar time not yet passed by the slot walk. A week or month slot may begin up to a bar length
  // before `start` (it is expected when its bar's date, the last trading day, is in the range).
  let cursor = lowerBound(times, start - barMs);
  let previousEnd = start;
  let run: { start: number; end: number; count: number } | undefined;

  const flushRun = (): void => {
    if (run === undefined) return;
    const gapEnd = Math.min(run.end, end);
    gaps.push({
      start: run.start,
      end: gapEnd,
      kind: 'unexpected',
      position: position(run.start, gapEnd),
      missingBars: run.count,
    });
    run = undefined;
  };

  // Closed time [from, to): report the parts no bar covers (bars cover [time, time + bar length)).
  const closed = (from: number, to: number): void => {
    flushRun();
    let pieceStart = from;
    for (let i = lowerBound(times, from - barMs); i < n; i++) {
      const t = times[i] as number;
      if (t >= to) break;
      const coveredTo = t + barMs;
      if (coveredTo <= pieceStart) continue;
      if (t > pieceStart) pushClosed(pieceStart, t);
      pieceStart = Math.max(pieceStart, coveredTo);
    }
    if (pieceStart < to) pushClosed(pieceStart, to);
  };
  const pushClosed = (from: number, to: number): void => {
    const { kind, reason } = classifyClosedInterval(calendar, from, to);
    const gap: Gap = { start: from, end: to, kind, position: position(from, to), missingBars: 0 };
    if (reason !== undefined) gap.reason = reason;
    gaps.push(gap);
  };

  forEachExpectedSlot(calendar, timeframe, start, end, (slotStart, slotEnd) => {
    expectedBars++;
    if (slotStart > previousEnd) closed(previousEnd, slotStart);
    while (cursor < n && (times[cursor] as number) < slotStart) cursor++;
    if (cursor < n && (times[cursor] as number) < slotEnd) {
      presentBars++;
      flushRun();
    } else if (run !== undefined && run.end === slotStart) {
      run.end = slotEnd;
      run.count++;
    } else {
      flushRun();
      run = { start: slotStart, end: slotEnd, count: 1 };
    }
    previousEnd = Math.max(previousEnd, slotEnd);
  });
  flushRun();
  if (end > previousEnd) closed(previousEnd, end);

  return {
    start,
    end,
    timeframe,
    calendar: calendar.name,
    gaps,
    expectedBars,
    presentBars,
    missingBars: expectedBars - presentBars,
  };
}

/** The gaps worth fetching: those of kind `unexpected`. */
export function realGaps(analysis: GapAnalysis): Gap[] {
  return analysis.gaps.filter((gap) => gap.kind === 'unexpected');
}

function assertAscending(times: ArrayLike<number>): void {
  for (let i = 1; i < times.length; i++) {
    if (!((times[i] as number) > (times[i - 1] as number))) {
      throw new ValidationError(
        `Bar times must be strictly ascending (index ${i}); pass frame.columns().time.`,
        {
          details: { field: 'times', index: i },
        },
      );
    }
  }
}
