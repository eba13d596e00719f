import { type KtrdrError, ServiceTimeoutError, ValidationError } from '@ktrdr/core';
import type { TradingCalendar } from '../calendar/trading-calendar';
import type { TimeRange } from '../gaps/gap-types';
import { sessionDaysBetween } from '../ib/request-spans';

/**
 * Which answer means "this request was too long": IB's 162 "Time length exceed max" (a
 * `ValidationError` on the duration) always; a timeout when `timeoutsToo`, since that is how a
 * gateway answers a request longer than it copes with in practice (1-minute bars over 5 days).
 */
export function isOverrun(error: unknown, timeoutsToo: boolean): error is KtrdrError {
  if (error instanceof ServiceTimeoutError) return timeoutsToo;
  return error instanceof ValidationError && error.details['field'] === 'duration';
}

/**
 * `range` cut in two at a trading-day boundary of `calendar` (the halves hold whole sessions), or
 * undefined when it touches one session only: a single session is the smallest request, and one
 * that still overruns is a real failure.
 */
export function splitBySessions(
  range: TimeRange,
  calendar: TradingCalendar,
): [TimeRange, TimeRange] | undefined {
  const days = sessionDaysBetween(calendar, range.start, range.end);
  if (days.length < 2) return undefined;
  const middle = days[Math.floor(days.length / 2)] as number;
  // The cut: the start of the first session of the middle day, inside the range.
  const sessions = calendar
    .tradingDay(middle)
    .sessions.filter((s) => s.end > range.start && s.start < range.end);
  const cut = Math.max(range.start, sessions[0]?.start ?? range.start);
  if (!(cut > range.start && cut < range.end)) return undefined;
  return [
    { start: range.start, end: cut },
    { start: cut, end: range.end },
  ];
}

/** Options of {@link fetchSplittingOverruns}. */
export interface SplitOptions {
  /** The range cut in two, or undefined when it cannot be cut further. */
  split: (range: TimeRange) => [TimeRange, TimeRange] | undefined;
  /**
   * Whether a timeout of `range` counts as an overrun. A silent gateway times every request out:
   * splitting without bound would multiply the requests of a load that must fail, so callers allow
   * it only for ranges long enough that a timeout more likely means "too long".
   */
  splitOnTimeout: (range: TimeRange) => boolean;
  onSplit?: (range: TimeRange, error: KtrdrError) => void;
}

/**
 * Fetches `range` with `fetch`; when the answer is an overrun (see {@link isOverrun}), splits the
 * range in two and fetches each half the same way, so a request the gateway finds too long costs
 * one failed attempt per halving, never the segment. Resolves with every piece's result, oldest
 * first; rethrows anything else, and an overrun of a range that cannot be split.
 */
export async function fetchSplittingOverruns<T>(
  range: TimeRange,
  fetch: (range: TimeRange) => Promise<T>,
  options: SplitOptions,
): Promise<T[]> {
  try {
    return [await fetch(range)];
  } catch (error) {
    if (!isOverrun(error, options.splitOnTimeout(range))) throw error;
    const halves = options.split(range);
    if (halves === undefined) throw error;
    options.onSplit?.(range, error);
    const [first, second] = halves;
    // One after the other: an overloaded gateway is not helped by twice the requests at once.
    const older = await fetchSplittingOverruns(first, fetch, options);
    const newer = await fetchSplittingOverruns(second, fetch, options);
    return [...older, ...newer];
  }
}
