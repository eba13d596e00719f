import { ValidationError } from '@ktrdr/core/errors';
import { maxRequestMs, type Timeframe } from '../domain/timeframes';
import type { TimeRange } from './gap-types';

/** Fetch order of segments: newest first suits tail loads, oldest first suits backfills. */
export type SegmentOrder = 'newest_first' | 'oldest_first';

/** Options of {@link segmentRange} and {@link segmentRanges}. */
export interface SegmentOptions {
  /** Default `oldest_first`. */
  order?: SegmentOrder;
  /** Longest segment in ms; default (and upper bound) the timeframe's maximum request duration. */
  maxSegmentMs?: number;
}

/**
 * Cuts `[start, end)` into consecutive segments no longer than the timeframe's maximum IB request
 * duration. Segments are cut from the end the order starts at, so the first segment fetched is a
 * full one and only the last may be short.
 * @throws ValidationError (`details.field = 'end'`) when `start > end`.
 */
export function segmentRange(
  range: TimeRange,
  timeframe: Timeframe,
  options: SegmentOptions = {},
): TimeRange[] {
  const { start, end } = range;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) {
    throw new ValidationError(`Invalid range: start (${start}) must be before end (${end}).`, {
      details: { field: 'end', start, end },
    });
  }
  const limit = maxRequestMs(timeframe);
  const size = options.maxSegmentMs === undefined ? limit : Math.min(limit, options.maxSegmentMs);
  if (!(size > 0)) {
    throw new ValidationError(`maxSegmentMs must be positive, got ${options.maxSegmentMs}.`, {
      details: { field: 'maxSegmentMs' },
    });
  }
  const segments: TimeRange[] = [];
  if ((options.order ?? 'oldest_first') === 'newest_first') {
    for (let to = end; to > start; to -= size) segments.push({ start: Math.max(start, to - size), end: to });
  } else {
    for (let from = start; from < end; from += size)
      segments.push({ start: from, end: Math.min(end, from + size) });
  }
  return segments;
}

/** {@link segmentRange} over several ranges, all segments in one list in the requested order. */
export function segmentRanges(
  ranges: readonly TimeRange[],
  timeframe: Timeframe,
  options: SegmentOptions = {},
): TimeRange[] {
  const newestFirst = (options.order ?? 'oldest_first') === 'newest_first';
  const sorted = [...ranges].sort((a, b) => (newestFirst ? b.start - a.start : a.start - b.start));
  return sorted.flatMap((range) => segmentRange(range, timeframe, options));
}
