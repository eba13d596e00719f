import { ValidationError, ServiceTimeoutError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { calendarForInstrument } from '../../src/calendar/exchange-calendars';
import type { InstrumentType } from '../../src/domain/symbols';
import type { Timeframe } from '../../src/domain/timeframes';
import { analyzeGaps } from '../../src/gaps/gap-analysis';
import type { Gap, TimeRange } from '../../src/gaps/gap-types';
import { requestSpanLimit, sessionDaysBetween, sessionDuration } from '../../src/ib/request-spans';
import { planSegments } from '../../src/manager/plan-segments';
import { fetchSplittingOverruns, splitBySessions } from '../../src/manager/split-overrun';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

function plan(timeframe: Timeframe, type: InstrumentType, start: string, end: string, sessions?: number) {
  const calendar = calendarForInstrument(type);
  const gaps = analyzeGaps([], { start: Date.parse(start), end: Date.parse(end), timeframe, calendar }).gaps;
  const limit = requestSpanLimit(timeframe, 'practical', { minuteBarSessions: sessions });
  return { calendar, gaps, segments: planSegments(gaps, timeframe, 'oldest_first', { limit, calendar }) };
}

/** Every instant of every unexpected gap lies in exactly one segment (segments are disjoint). */
function expectCovered(segments: TimeRange[], gaps: Gap[]): void {
  for (const gap of gaps.filter((g) => g.kind === 'unexpected')) {
    const covered = segments.reduce(
      (sum, s) => sum + Math.max(0, Math.min(s.end, gap.end) - Math.max(s.start, gap.start)),
      0,
    );
    expect(covered, `${iso(gap.start)}..${iso(gap.end)}`).toBe(gap.end - gap.start);
  }
  expect(segments.every((s, i) => i === 0 || s.start >= (segments[i - 1] as TimeRange).end)).toBe(true);
}

describe('practical request spans', () => {
  it('plans a year of 1-minute stock bars as 4 sessions per request, each asked as at most 5 D', () => {
    const { calendar, gaps, segments } = plan('1m', 'STK', '2023-07-01T00:00:00Z', '2024-07-01T00:00:00Z');
    expectCovered(segments, gaps);
    const sessions = segments.map((s) => sessionDaysBetween(calendar, s.start, s.end).length);
    expect(Math.max(...sessions)).toBe(4);
    // 250 sessions in the year: 63 requests, against 250 under strict.
    expect(sessions.reduce((a, b) => a + b, 0)).toBe(250);
    expect(segments).toHaveLength(63);
    for (const s of segments) {
      // Every request holds a session: none asks only for a closed market.
      expect(sessionDaysBetween(calendar, s.start, s.end).length).toBeGreaterThan(0);
      expect(['2 D', '3 D', '4 D', '5 D']).toContain(sessionDuration('1m', calendar, s.start, s.end));
    }
    const strict = planSegments(gaps, '1m', 'oldest_first', {
      limit: requestSpanLimit('1m', 'strict'),
      calendar,
    });
    expect(strict).toHaveLength(250);
  });

  it('covers the whole of each gap: an hourly bar before the open and after-hours stay requested', () => {
    // An hourly gap from midnight: its 14:00 UTC bar (9:00 New York) overlaps the 9:30 open, and
    // the evening after the close is in the gap too. Pieces clipped to the sessions lost them.
    const calendar = calendarForInstrument('STK');
    const start = Date.parse('2024-01-08T00:00:00Z');
    const end = Date.parse('2024-01-13T00:00:00Z');
    const gap: Gap = { start, end, kind: 'unexpected', position: 'no_data', missingBars: 35 };
    for (const sessions of [1, 2, 5]) {
      const limit = requestSpanLimit('1h', 'practical');
      const segments = planSegments([gap], '1h', 'oldest_first', {
        limit: { ...limit, maxSessions: sessions },
        calendar,
      });
      expectCovered(segments, [gap]);
      expect(segments[0]?.start).toBe(start);
      expect(segments.at(-1)?.end).toBe(end);
    }
  });

  it('follows the configured cap (KTRDR_IB_1M_SESSIONS) and never goes past 5', () => {
    expect(requestSpanLimit('1m', 'practical', { minuteBarSessions: 3 }).maxSessions).toBe(2);
    expect(requestSpanLimit('1m', 'practical', { minuteBarSessions: 9 }).maxSessions).toBe(4);
    expect(requestSpanLimit('1m', 'practical', { minuteBarSessions: 1 }).maxSessions).toBe(1);
    const { calendar, segments } = plan('1m', 'STK', '2024-03-04T00:00:00Z', '2024-03-16T00:00:00Z', 3);
    expect(segments.map((s) => sessionDaysBetween(calendar, s.start, s.end).length)).toEqual([2, 2, 2, 2, 2]);
  });

  it('cuts a market open around the clock at its trading days (forex), within the cap', () => {
    const { calendar, gaps, segments } = plan('1m', 'CASH', '2024-03-03T00:00:00Z', '2024-03-17T00:00:00Z');
    expectCovered(segments, gaps);
    for (const s of segments) {
      const days = sessionDaysBetween(calendar, s.start, s.end).length;
      expect(days).toBeGreaterThan(0);
      expect(days).toBeLessThanOrEqual(4);
    }
    expect(segments).toHaveLength(3); // ten trading days
  });

  it('keeps the strict limits for daily bars', () => {
    expect(requestSpanLimit('1d', 'practical')).toEqual(requestSpanLimit('1d', 'strict'));
  });
});

describe('splitting a request the gateway finds too long', () => {
  const calendar = calendarForInstrument('STK');
  // Monday 4 to Friday 8 March 2024, regular hours.
  const week: TimeRange = {
    start: Date.parse('2024-03-04T14:30:00Z'),
    end: Date.parse('2024-03-08T21:00:00Z'),
  };

  it('cuts at a session boundary, and not a single session', () => {
    const [first, second] = splitBySessions(week, calendar) ?? [];
    expect([iso(first?.start ?? 0), iso(first?.end ?? 0), iso(second?.end ?? 0)]).toEqual([
      '2024-03-04T14:30',
      '2024-03-06T14:30',
      '2024-03-08T21:00',
    ]);
    const monday = { start: week.start, end: Date.parse('2024-03-04T21:00:00Z') };
    expect(splitBySessions(monday, calendar)).toBeUndefined();
  });

  it('splits on "Time length exceed max" until every piece is short enough, in order', async () => {
    const asked: string[] = [];
    const pieces = await fetchSplittingOverruns(
      week,
      async (range) => {
        asked.push(`${iso(range.start)}..${iso(range.end)}`);
        if (sessionDaysBetween(calendar, range.start, range.end).length > 2) {
          throw new ValidationError('Time length exceed max.', { details: { field: 'duration' } });
        }
        return range;
      },
      { split: (range) => splitBySessions(range, calendar), splitOnTimeout: () => false },
    );
    expect(pieces.map((r) => sessionDaysBetween(calendar, r.start, r.end).length)).toEqual([2, 1, 2]);
    expect(pieces[0]?.start).toBe(week.start);
    expect(pieces[2]?.end).toBe(week.end);
    expect(asked).toHaveLength(5);
  });

  it('splits a timeout only where the caller allows it, and rethrows other errors', async () => {
    const timeout = () => Promise.reject(new ServiceTimeoutError('no answer'));
    const split = (range: TimeRange) => splitBySessions(range, calendar);
    await expect(
      fetchSplittingOverruns(week, timeout, { split, splitOnTimeout: () => false }),
    ).rejects.toThrow('no answer');
    let calls = 0;
    await expect(
      fetchSplittingOverruns(
        week,
        () => {
          calls += 1;
          return timeout();
        },
        { split, splitOnTimeout: (range) => sessionDaysBetween(calendar, range.start, range.end).length > 2 },
      ),
    ).rejects.toBeInstanceOf(ServiceTimeoutError);
    // The week, then its first half (2 sessions: a timeout there is a failure, not split again).
    expect(calls).toBe(2);
  });
});
