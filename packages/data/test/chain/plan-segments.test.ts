import { describe, expect, it } from 'vitest';
import type { InstrumentType } from '../../src/domain/symbols';
import { type Timeframe, maxRequestMs } from '../../src/domain/timeframes';
import { analyzeGaps } from '../../src/gaps/gap-analysis';
import type { Gap, TimeRange } from '../../src/gaps/gap-types';
import { planSegments } from '../../src/manager/plan-segments';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function gapsOf(
  timeframe: Timeframe,
  start: string,
  end: string,
  options: { times?: number[]; instrumentType?: InstrumentType } = {},
): Gap[] {
  return analyzeGaps(options.times ?? [], {
    start: Date.parse(start),
    end: Date.parse(end),
    timeframe,
    instrumentType: options.instrumentType ?? 'STK',
  }).gaps;
}

const unexpected = (gaps: Gap[]) => gaps.filter((gap) => gap.kind === 'unexpected');
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** Every unexpected gap lies in exactly one segment. */
function expectCovered(segments: TimeRange[], gaps: Gap[]): void {
  for (const gap of unexpected(gaps)) {
    const holders = segments.filter((s) => s.start <= gap.start && gap.end <= s.end);
    expect(holders, `${iso(gap.start)}..${iso(gap.end)}`).toHaveLength(1);
  }
}

describe('planSegments', () => {
  it('sends one 1-minute request per session and none for the weekend', () => {
    // Monday 2024-03-04 to Monday 2024-03-11 (US winter time: regular hours 14:30-21:00 UTC).
    const gaps = gapsOf('1m', '2024-03-04T00:00:00Z', '2024-03-11T00:00:00Z');
    const segments = planSegments(gaps, '1m', 'oldest_first');
    expect(segments.map((s) => [iso(s.start), iso(s.end)])).toEqual(
      [4, 5, 6, 7, 8].map((day) => [`2024-03-0${day}T14:30`, `2024-03-0${day}T21:00`]),
    );
    expectCovered(segments, gaps);
  });

  it('packs whole sessions into requests within the limit, each starting and ending on a gap', () => {
    const gaps = gapsOf('1h', '2024-01-01T00:00:00Z', '2024-07-01T00:00:00Z');
    const segments = planSegments(gaps, '1h', 'oldest_first');
    const starts = new Set(unexpected(gaps).map((gap) => gap.start));
    const ends = new Set(unexpected(gaps).map((gap) => gap.end));
    for (const segment of segments) {
      expect(segment.end - segment.start).toBeLessThanOrEqual(maxRequestMs('1h'));
      expect(starts.has(segment.start)).toBe(true);
      expect(ends.has(segment.end)).toBe(true);
    }
    expect(segments.every((s, i) => i === 0 || s.start >= (segments[i - 1] as TimeRange).end)).toBe(true);
    // Six months at up to 30 days each: no more requests than fixed 30-day cuts would need.
    expect(segments.length).toBeLessThanOrEqual(Math.ceil(182 / 30) + 1);
    expectCovered(segments, gaps);
  });

  it('orders backfills newest first, the newest request ending where the data ends', () => {
    const gaps = gapsOf('1h', '2024-01-01T00:00:00Z', '2024-04-01T00:00:00Z');
    const segments = planSegments(gaps, '1h', 'newest_first');
    expect(segments.every((s, i) => i === 0 || s.end <= (segments[i - 1] as TimeRange).start)).toBe(true);
    expect(segments[0]?.end).toBe(unexpected(gaps).at(-1)?.end);
    expectCovered(segments, gaps);
  });

  it('never joins holes across stored bars', () => {
    // Wednesday's bars are stored: Monday-Tuesday and Thursday-Friday are two separate holes (the
    // built-in calendar's first hourly slot of a session is the hour holding the 09:30 open).
    const wednesday = Date.parse('2024-03-06T14:00:00Z');
    const times = Array.from({ length: 7 }, (_, i) => wednesday + i * HOUR_MS);
    const gaps = gapsOf('1h', '2024-03-04T00:00:00Z', '2024-03-09T00:00:00Z', { times });
    const segments = planSegments(gaps, '1h', 'oldest_first');
    expect(segments.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2024-03-04T14:00', '2024-03-05T21:00'],
      ['2024-03-07T14:00', '2024-03-08T21:00'],
    ]);
  });

  it('cuts a gap longer than the limit (a market open around the clock) into pieces within it', () => {
    const gaps = gapsOf('1m', '2024-03-04T00:00:00Z', '2024-03-07T00:00:00Z', { instrumentType: 'CASH' });
    const segments = planSegments(gaps, '1m', 'oldest_first');
    expect(segments.length).toBeGreaterThanOrEqual(3);
    for (const segment of segments) expect(segment.end - segment.start).toBeLessThanOrEqual(DAY_MS);
    expectCovered([{ start: segments[0]?.start ?? 0, end: segments.at(-1)?.end ?? 0 }], gaps);
    const covered = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
    const missing = unexpected(gaps).reduce((sum, g) => sum + (g.end - g.start), 0);
    expect(covered).toBe(missing);
  });

  it('plans nothing when nothing is missing', () => {
    const gaps = gapsOf('1h', '2024-03-09T00:00:00Z', '2024-03-11T00:00:00Z');
    expect(unexpected(gaps)).toEqual([]);
    expect(planSegments(gaps, '1h', 'oldest_first')).toEqual([]);
  });
});
