/**
 * Fixture bars from CSV served over the wire: verbatim at their own size, aggregated to larger
 * sizes, never refined; and clear errors for malformed CSV.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecType } from '@stoqey/ib';
import type { Contract } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBarsCsv, readBarsCsvFile } from '../src/index';
import { fetchBars, requestBars, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const FIXTURE: Contract = { symbol: 'TEST', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

const DAILY_CSV = `date,open,high,low,close,volume
2024-03-11,10,11,9.5,10.5,1000
2024-03-12,10.5,12,10,11.75,2000
2024-03-13,11.75,12.5,11,12,1500
2024-03-14,12,12.25,10.75,11,3000
2024-03-15,11,11.5,10.5,11.25,2500
`;

describe('CSV parsing', () => {
  it('parses ISO UTC dates in any column order', () => {
    const bars = parseBarsCsv('volume,close,low,high,open,date\n5,2,1,3,1.5,2024-01-02T14:30:00Z\n');
    expect(bars).toEqual([
      { time: new Date('2024-01-02T14:30:00Z'), open: 1.5, high: 3, low: 1, close: 2, volume: 5 },
    ]);
  });

  it('names the line of malformed rows', () => {
    expect(() => parseBarsCsv('date,open,high,low,close\n')).toThrow(/missing: volume/);
    expect(() => parseBarsCsv('date,open,high,low,close,volume\n2024-01-02T09:30:00,1,2,0.5,1.5,10')).toThrow(
      /line 2: date .* is not an ISO UTC date/,
    );
    expect(() => parseBarsCsv('date,open,high,low,close,volume\n2024-01-02,1,0.9,0.5,1.5,10')).toThrow(
      /line 2: inconsistent/,
    );
    expect(() => parseBarsCsv('date,open,high,low,close,volume\n2024-01-02,1,x,0.5,1.5,10')).toThrow(
      /line 2: column "high"/,
    );
  });

  it('reads CSV files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ib-sim-'));
    try {
      const file = join(dir, 'bars.csv');
      await writeFile(file, DAILY_CSV);
      expect(await readBarsCsvFile(file)).toHaveLength(5);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('serving fixtures', () => {
  it('serves daily fixture bars verbatim and aggregates them into weeks', async () => {
    const sim = await rig.simulator();
    sim.loadBarsCsv('TEST', DAILY_CSV);
    const client = await rig.connectApi(sim, 1);
    const days = await fetchBars(client, 1, FIXTURE, { duration: '1 W', barSize: '1 day' });
    expect(days.map((d) => [d.time, d.open, d.high, d.low, d.close, d.volume])).toEqual([
      ['20240311', 10, 11, 9.5, 10.5, 1000],
      ['20240312', 10.5, 12, 10, 11.75, 2000],
      ['20240313', 11.75, 12.5, 11, 12, 1500],
      ['20240314', 12, 12.25, 10.75, 11, 3000],
      ['20240315', 11, 11.5, 10.5, 11.25, 2500],
    ]);
    const [week] = await fetchBars(client, 2, FIXTURE, { duration: '1 W', barSize: '1 week' });
    expect(week).toMatchObject({
      time: '20240315',
      open: 10,
      high: 12.5,
      low: 9.5,
      close: 11.25,
      volume: 10000,
    });
    const minutes = await requestBars(client, 3, FIXTURE, { duration: '1 D', barSize: '1 min' });
    expect(minutes).toMatchObject({ ok: false, error: { code: 162 } });
    const head = await new Promise<unknown[]>((resolve) => {
      client.ib.once('headTimestamp' as never, (...args: unknown[]) => resolve(args));
      client.ib.reqHeadTimestamp(4, FIXTURE, 'TRADES' as never, true, 2);
    });
    expect(head).toEqual([4, String(Date.UTC(2024, 2, 11, 13, 30) / 1000)]);
  });

  it('aggregates intraday fixture bars into larger bars within the session', async () => {
    const sim = await rig.simulator();
    const rows = Array.from({ length: 12 }, (_, i) => {
      const time = new Date(Date.UTC(2024, 2, 14, 13, 30 + i * 5)).toISOString();
      return `${time},${100 + i},${101 + i},${99 + i},${100.5 + i},${10 * (i + 1)}`;
    });
    sim.loadBarsCsv('TEST', `date,open,high,low,close,volume\n${rows.join('\n')}\n`);
    const client = await rig.connectApi(sim, 1);
    const fives = await fetchBars(client, 1, FIXTURE, {
      end: '20240314 16:00:00 US/Eastern',
      duration: '1 D',
      barSize: '5 mins',
    });
    expect(fives).toHaveLength(12);
    const [first, second] = await fetchBars(client, 2, FIXTURE, {
      end: '20240314 16:00:00 US/Eastern',
      duration: '1 D',
      barSize: '30 mins',
    });
    expect(first).toMatchObject({
      time: '20240314 09:30:00 America/New_York',
      open: 100,
      high: 106,
      low: 99,
      close: 105.5,
      volume: 210,
    });
    expect(second).toMatchObject({
      time: '20240314 10:00:00 America/New_York',
      open: 106,
      close: 111.5,
      volume: 570,
    });
    const refined = await requestBars(client, 3, FIXTURE, {
      end: '20240314 16:00:00 US/Eastern',
      duration: '1 D',
      barSize: '1 min',
    });
    expect(refined).toMatchObject({ ok: false, error: { code: 162 } });
  });

  it('adds symbols at run time', async () => {
    const sim = await rig.simulator({
      defaultUniverse: false,
      instruments: [{ symbol: 'NVDA', basePrice: 500 }],
    });
    expect(sim.universe.list().map((i) => i.symbol)).toEqual(['NVDA']);
    sim.addInstrument({ symbol: 'USD.JPY', secType: 'CASH', basePrice: 150, minTick: 0.005 });
    const client = await rig.connectApi(sim, 1);
    const nvda = await fetchBars(
      client,
      1,
      { symbol: 'NVDA', secType: 'STK' as never, exchange: 'SMART', currency: 'USD' },
      {
        duration: '1 D',
        barSize: '1 day',
      },
    );
    expect(nvda).toHaveLength(1);
    const yen = await fetchBars(
      client,
      2,
      { symbol: 'USD', secType: 'CASH' as never, exchange: 'IDEALPRO', currency: 'JPY' },
      {
        duration: '1 D',
        barSize: '1 hour',
        whatToShow: 'MIDPOINT',
      },
    );
    expect(yen.length).toBeGreaterThan(20);
    expect(yen[0]?.close).toBeGreaterThan(50);
    const aapl = await requestBars(
      client,
      3,
      { symbol: 'AAPL', secType: 'STK' as never, exchange: 'SMART', currency: 'USD' },
      {
        duration: '1 D',
        barSize: '1 day',
      },
    );
    expect(aapl).toMatchObject({ ok: false, error: { code: 200 } });
  });
});
