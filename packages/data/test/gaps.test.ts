import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { calendarForInstrument, expectedBarTimes, usStockCalendar } from '../src/calendar/index';
import { analyzeGaps, fetchRanges, realGaps, type Gap } from '../src/gaps/index';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const show = (gaps: Gap[]): string[][] =>
  gaps.map((g) => [iso(g.start), iso(g.end), g.kind, ...(g.reason === undefined ? [] : [g.reason])]);

describe('gap analysis', () => {
  const stocks = usStockCalendar();
  const start = at('2024-03-08T00:00:00Z'); // Friday
  const end = at('2024-03-12T00:00:00Z'); // Tuesday 00:00
  const full = expectedBarTimes(stocks, '1h', start, end);

  it('finds only market-closed gaps in complete data, each classified', () => {
    const analysis = analyzeGaps(full, { start, end, timeframe: '1h', calendar: stocks });
    expect(analysis.expectedBars).toBe(14);
    expect(analysis.presentBars).toBe(14);
    expect(analysis.missingBars).toBe(0);
    expect(realGaps(analysis)).toEqual([]);
    expect(show(analysis.gaps)).toEqual([
      ['2024-03-08T00:00:00Z', '2024-03-08T14:00:00Z', 'outside_trading_hours'],
      ['2024-03-08T21:00:00Z', '2024-03-11T13:00:00Z', 'weekend'],
      ['2024-03-11T20:00:00Z', '2024-03-12T00:00:00Z', 'outside_trading_hours'],
    ]);
    expect(analysis.gaps.map((g) => g.position)).toEqual(['before_data', 'within_data', 'after_data']);
  });

  it('reports missing trading-hour bars as one unexpected gap with its bar count', () => {
    const present = full.filter((_, i) => i !== 2 && i !== 3);
    const analysis = analyzeGaps(present, { start, end, timeframe: '1h', calendar: stocks });
    expect(analysis.missingBars).toBe(2);
    const real = realGaps(analysis);
    expect(real).toHaveLength(1);
    expect(real[0]).toMatchObject({
      start: at('2024-03-08T16:00:00Z'),
      end: at('2024-03-08T18:00:00Z'),
      kind: 'unexpected',
      position: 'within_data',
      missingBars: 2,
    });
  });

  it('classifies holidays by name and joins real gaps across them into one fetch range', () => {
    // No data at all for the week of Martin Luther King Jr. Day 2024.
    const analysis = analyzeGaps([], {
      start: at('2024-01-10T00:00:00Z'),
      end: at('2024-01-20T00:00:00Z'),
      timeframe: '1d',
      instrumentType: 'STK',
    });
    expect(show(analysis.gaps)).toEqual([
      ['2024-01-10T00:00:00Z', '2024-01-13T00:00:00Z', 'unexpected'],
      ['2024-01-13T00:00:00Z', '2024-01-16T00:00:00Z', 'holiday', 'Martin Luther King Jr. Day'],
      ['2024-01-16T00:00:00Z', '2024-01-20T00:00:00Z', 'unexpected'],
    ]);
    expect(analysis.gaps.every((g) => g.position === 'no_data')).toBe(true);
    expect(analysis.missingBars).toBe(7);
    expect(fetchRanges(analysis)).toEqual([
      { start: at('2024-01-10T00:00:00Z'), end: at('2024-01-20T00:00:00Z') },
    ]);
  });

  it('tells weekends, Good Friday and unscheduled closures apart', () => {
    const daily = (from: string, to: string): Gap[] => {
      const s = at(from);
      const e = at(to);
      return analyzeGaps(expectedBarTimes(stocks, '1d', s, e), {
        start: s,
        end: e,
        timeframe: '1d',
        calendar: stocks,
      }).gaps;
    };
    expect(show(daily('2024-03-27T00:00:00Z', '2024-04-03T00:00:00Z'))).toEqual([
      ['2024-03-29T00:00:00Z', '2024-04-01T00:00:00Z', 'holiday', 'Good Friday'],
    ]);
    expect(show(daily('2025-01-07T00:00:00Z', '2025-01-11T00:00:00Z'))).toEqual([
      [
        '2025-01-09T00:00:00Z',
        '2025-01-10T00:00:00Z',
        'market_closure',
        'National Day of Mourning for President Carter',
      ],
    ]);
    expect(show(daily('2024-03-14T00:00:00Z', '2024-03-19T00:00:00Z'))).toEqual([
      ['2024-03-16T00:00:00Z', '2024-03-18T00:00:00Z', 'weekend'],
    ]);
  });

  it('treats the forex weekend (also when cut by the range) and Christmas as closed', () => {
    const fx = calendarForInstrument('CASH');
    const s = at('2024-12-20T00:00:00Z');
    const e = at('2024-12-28T00:00:00Z');
    const analysis = analyzeGaps(expectedBarTimes(fx, '1h', s, e), {
      start: s,
      end: e,
      timeframe: '1h',
      calendar: fx,
    });
    expect(show(analysis.gaps)).toEqual([
      ['2024-12-20T22:00:00Z', '2024-12-22T22:00:00Z', 'weekend'],
      ['2024-12-24T22:00:00Z', '2024-12-25T22:00:00Z', 'holiday', 'Christmas Day'],
      ['2024-12-27T22:00:00Z', '2024-12-28T00:00:00Z', 'weekend'],
    ]);
  });

  it('reports the futures daily break as outside trading hours', () => {
    const fut = calendarForInstrument('FUT');
    const s = at('2024-03-06T12:00:00Z');
    const e = at('2024-03-07T12:00:00Z');
    const analysis = analyzeGaps(expectedBarTimes(fut, '15m', s, e), {
      start: s,
      end: e,
      timeframe: '15m',
      calendar: fut,
    });
    expect(show(analysis.gaps)).toEqual([
      ['2024-03-06T22:00:00Z', '2024-03-06T23:00:00Z', 'outside_trading_hours'],
    ]);
  });

  it('lets extended-hours bars cover closed time without creating real gaps', () => {
    const s = at('2024-03-11T00:00:00Z');
    const e = at('2024-03-12T00:00:00Z');
    const extended = expectedBarTimes(usStockCalendar('extended'), '1h', s, e);
    const analysis = analyzeGaps(extended, { start: s, end: e, timeframe: '1h', calendar: stocks });
    expect(realGaps(analysis)).toEqual([]);
    // Extended bars run 04:00-20:00 New York (08:00-24:00Z): only the early hours stay uncovered,
    // and they are the end of the weekend closure that began on Friday at 16:00.
    expect(show(analysis.gaps)).toEqual([['2024-03-11T00:00:00Z', '2024-03-11T08:00:00Z', 'weekend']]);
  });

  it('marks real gaps before and after the stored data as edges to extend', () => {
    const s = at('2024-03-04T00:00:00Z');
    const e = at('2024-03-09T00:00:00Z');
    const days = expectedBarTimes(stocks, '1d', s, e); // Mon-Fri
    const analysis = analyzeGaps(days.slice(1, 3), { start: s, end: e, timeframe: '1d', calendar: stocks });
    expect(realGaps(analysis).map((g) => [iso(g.start).slice(0, 10), g.position, g.missingBars])).toEqual([
      ['2024-03-04', 'before_data', 1],
      ['2024-03-07', 'after_data', 2],
    ]);
    expect(fetchRanges(analysis)).toHaveLength(2);
  });

  it('rejects a reversed range and unsorted times', () => {
    expect(() => analyzeGaps([], { start: 10, end: 5, timeframe: '1h' })).toThrow(ValidationError);
    expect(() => analyzeGaps([2, 1], { start: 0, end: 5, timeframe: '1h' })).toThrow(ValidationError);
    expect(analyzeGaps([], { start: 5, end: 5, timeframe: '1h' }).gaps).toEqual([]);
  });
});

describe('fetchRanges', () => {
  const gap = (start: number, end: number, kind: Gap['kind']): Gap => ({
    start,
    end,
    kind,
    position: 'within_data',
    missingBars: kind === 'unexpected' ? 1 : 0,
  });

  it('bridges closed gaps between real ones but never bars that are present', () => {
    const gaps = [
      gap(0, 10, 'unexpected'),
      gap(10, 20, 'weekend'),
      gap(20, 30, 'unexpected'),
      gap(40, 50, 'unexpected'), // bars 30-40 present
      gap(50, 60, 'outside_trading_hours'), // trailing closed time is not fetched
    ];
    expect(fetchRanges(gaps)).toEqual([
      { start: 0, end: 30 },
      { start: 40, end: 50 },
    ]);
    expect(fetchRanges([gap(0, 10, 'holiday'), gap(10, 20, 'weekend')])).toEqual([]);
  });
});
