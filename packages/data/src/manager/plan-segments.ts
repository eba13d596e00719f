import type { Timeframe } from '../domain/timeframes';
import { maxRequestMs } from '../domain/timeframes';
import { fetchRanges } from '../gaps/fetch-ranges';
import type { Gap, TimeRange } from '../gaps/gap-types';
import { type SegmentOrder, segmentRange } from '../gaps/segmentation';

/**
 * The requests a load sends: the `unexpected` gaps, packed greedily into segments no longer than
 * the timeframe's request limit, never joining gaps across stored bars (the joins of
 * `fetchRanges`). Cutting ranges at fixed lengths instead would send requests that hold only a
 * weekend (IB answers them with nothing) and cut sessions in two, so every request would have to
 * ask for two sessions to get one: with one-day 1-minute requests that is 45% more requests under
 * IB's pacing rules and twice the bars on the wire. A single gap longer than the limit (a market
 * open around the clock) is cut with `segmentRange`.
 * @param gaps the gaps in time order, closed-market gaps included so ranges can bridge them.
 */
export function planSegments(gaps: readonly Gap[], timeframe: Timeframe, order: SegmentOrder): TimeRange[] {
  const limit = maxRequestMs(timeframe);
  const unexpected = gaps.filter((gap) => gap.kind === 'unexpected');
  const segments: TimeRange[] = [];
  let next = 0;
  for (const range of fetchRanges(gaps)) {
    const inside: TimeRange[] = [];
    while (next < unexpected.length && (unexpected[next] as Gap).start < range.end) {
      const gap = unexpected[next++] as Gap;
      if (gap.start >= range.start) inside.push({ start: gap.start, end: gap.end });
    }
    segments.push(...pack(inside, limit, timeframe, order));
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
