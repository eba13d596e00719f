import { describe, expect, it } from 'vitest';
import { parseBarsCsv } from '../../web/api/bars-csv';
import { EventStreamParser } from '../../web/api/event-stream';
import { findGaps } from '../../web/charts/bar-gaps';
import { timeframeSeconds } from '../../web/charts/timeframe-seconds';
import { dataLinkOf } from '../../web/pages/data-link';
import { pageOf } from '../../web/pages/page-registry';

describe('the progress stream parser', () => {
  it('completes events across chunks, drops keep-alive comments, and joins multi-line data', () => {
    const parser = new EventStreamParser();
    expect(parser.push('id: 0\nevent: snapshot\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n\n: keep-alive\n\nevent: progress\r\ndata: 1\r\ndata: 2\r\n\r\n')).toEqual([
      { id: '0', event: 'snapshot', data: '{"a":1}' },
      { event: 'progress', data: '1\n2' },
    ]);
    expect(parser.push('data: plain\n\n')).toEqual([{ event: 'message', data: 'plain' }]);
  });
});

describe('bars CSV into columns', () => {
  it('reads the store layout by column name and skips rows whose time does not parse', () => {
    const bars = parseBarsCsv(
      'date,open,high,low,close,volume\n2024-01-02T14:00:00Z,1,3,0.5,2,100\nnot-a-date,9,9,9,9,9\n2024-01-02T15:00:00Z,2,4,1,3,200\n',
    );
    expect(bars.length).toBe(2);
    expect([...bars.time]).toEqual([Date.UTC(2024, 0, 2, 14) / 1000, Date.UTC(2024, 0, 2, 15) / 1000]);
    expect([...bars.close]).toEqual([2, 3]);
    expect([...bars.volume]).toEqual([100, 200]);
  });

  it('refuses a CSV without a time or close column', () => {
    expect(() => parseBarsCsv('a,b\n1,2\n')).toThrow(/no timestamp or close column/);
  });
});

describe('gaps', () => {
  const hourly = (hours: number[]) =>
    parseBarsCsv(
      `date,close\n${hours.map((h) => `${new Date(Date.UTC(2024, 0, 1) + h * 3_600_000).toISOString()},1`).join('\n')}\n`,
    );

  it('marks a hole longer than a long weekend, not nights or weekends', () => {
    // Mon 0-2h, then a weekend-sized jump (60 h), then a 5-day hole.
    const bars = hourly([0, 1, 2, 62, 63, 63 + 120]);
    expect(findGaps(bars, 3600)).toEqual([{ from: bars.time[4], to: bars.time[5], missing: 119 }]);
  });

  it('knows timeframe lengths', () => {
    expect(timeframeSeconds('15m')).toBe(900);
    expect(timeframeSeconds('1h')).toBe(3600);
    expect(timeframeSeconds('1M')).toBe(30 * 86_400);
    expect(timeframeSeconds('1y')).toBeUndefined();
  });
});

describe('routing', () => {
  it('maps location hashes to pages, the first page otherwise', () => {
    expect(pageOf('#/models').id).toBe('models');
    expect(pageOf('#/data?x=1').id).toBe('data');
    expect(pageOf('').id).toBe('operations');
    expect(pageOf('#/nope').id).toBe('operations');
    expect(pageOf('#/data/AAPL/1h?bars=10000').id).toBe('data');
  });

  it('reads a series link of the Data page', () => {
    expect(dataLinkOf('#/data/EUR.USD/1h?bars=10000')).toEqual({
      symbol: 'EUR.USD',
      timeframe: '1h',
      bars: 10000,
    });
    expect(dataLinkOf('#/data/AAPL/1d')).toEqual({ symbol: 'AAPL', timeframe: '1d' });
    expect(dataLinkOf('#/data')).toBeUndefined();
  });
});
