import type { Gap, GapAnalysis, TimeRange } from './gap-types';

/**
 * Turns gap analysis into the ranges to fetch. Consecutive `unexpected` gaps separated only by
 * market-closed gaps (no bar in between: the gaps touch) are joined into one range, so a load does
 * not send one request per trading day across nights and weekends; the ranges are then cut to IB's
 * request limit by `segmentRanges`.
 */
export function fetchRanges(analysis: GapAnalysis | readonly Gap[]): TimeRange[] {
  const gaps = 'gaps' in analysis ? analysis.gaps : analysis;
  const ranges: TimeRange[] = [];
  let current: TimeRange | undefined;
  let reach = Number.NaN; // end of the contiguous stretch of gaps since the current range's last real gap
  for (const gap of gaps) {
    const touches = gap.start === reach;
    if (gap.kind === 'unexpected') {
      if (current !== undefined && touches) current.end = gap.end;
      else {
        current = { start: gap.start, end: gap.end };
        ranges.push(current);
      }
      reach = gap.end;
    } else if (current !== undefined && touches) {
      reach = gap.end; // a closed stretch may bridge to the next real gap
    } else {
      current = undefined;
      reach = Number.NaN;
    }
  }
  return ranges;
}
