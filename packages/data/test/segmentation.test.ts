import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { TIMEFRAMES, maxRequestMs } from '../src/domain/timeframes';
import { segmentRange, segmentRanges } from '../src/gaps/segmentation';

const DAY = 86_400_000;

describe('segmentation', () => {
  it('cuts oldest first, with only the last segment short', () => {
    expect(segmentRange({ start: 0, end: 2.5 * DAY }, '1m')).toEqual([
      { start: 0, end: DAY },
      { start: DAY, end: 2 * DAY },
      { start: 2 * DAY, end: 2.5 * DAY },
    ]);
  });

  it('cuts newest first from the end, with only the oldest segment short', () => {
    expect(segmentRange({ start: 0, end: 2.5 * DAY }, '1m', { order: 'newest_first' })).toEqual([
      { start: 1.5 * DAY, end: 2.5 * DAY },
      { start: 0.5 * DAY, end: 1.5 * DAY },
      { start: 0, end: 0.5 * DAY },
    ]);
  });

  it('covers the range exactly with segments within the limit, for every timeframe', () => {
    const range = { start: Date.UTC(2015, 0, 1), end: Date.UTC(2025, 6, 1) + 12_345 };
    for (const tf of TIMEFRAMES) {
      for (const order of ['oldest_first', 'newest_first'] as const) {
        const segments = segmentRange(range, tf, { order });
        const sorted = [...segments].sort((a, b) => a.start - b.start);
        expect(sorted[0]!.start).toBe(range.start);
        expect(sorted[sorted.length - 1]!.end).toBe(range.end);
        for (let i = 0; i < sorted.length; i++) {
          const s = sorted[i]!;
          expect(s.end - s.start).toBeGreaterThan(0);
          expect(s.end - s.start).toBeLessThanOrEqual(maxRequestMs(tf));
          if (i > 0) expect(s.start).toBe(sorted[i - 1]!.end);
        }
      }
    }
  });

  it('honours a smaller maxSegmentMs but never exceeds the IB limit', () => {
    expect(segmentRange({ start: 0, end: 3 * DAY }, '1h', { maxSegmentMs: DAY })).toHaveLength(3);
    expect(segmentRange({ start: 0, end: 3 * DAY }, '1m', { maxSegmentMs: 10 * DAY })).toHaveLength(3);
    expect(() => segmentRange({ start: 0, end: DAY }, '1h', { maxSegmentMs: 0 })).toThrow(ValidationError);
  });

  it('returns nothing for an empty range and rejects a reversed one', () => {
    expect(segmentRange({ start: 5, end: 5 }, '1d')).toEqual([]);
    expect(() => segmentRange({ start: 6, end: 5 }, '1d')).toThrow(ValidationError);
  });

  it('orders the segments of several ranges globally', () => {
    const ranges = [
      { start: 10 * DAY, end: 11.5 * DAY },
      { start: 0, end: DAY },
    ];
    expect(segmentRanges(ranges, '1m').map((s) => s.start / DAY)).toEqual([0, 10, 11]);
    expect(segmentRanges(ranges, '1m', { order: 'newest_first' }).map((s) => s.start / DAY)).toEqual([
      10.5, 10, 0,
    ]);
  });
});
