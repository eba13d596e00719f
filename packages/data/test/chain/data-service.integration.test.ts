import {
  NotFoundError,
  type OperationHandle,
  type OperationProgress,
  UnknownSymbolError,
  ValidationError,
  loadConfig,
  serveService,
} from '@ktrdr/core';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncDataAdapter } from '../../src/adapter/async-data-adapter';
import { BarFrame } from '../../src/domain/bar-frame';
import type { LoadMode } from '../../src/manager/load-types';
import { createIbHostService } from '../../src/host-service/create-ib-host-service';
import { DataService, type LoadRequest } from '../../src/service/data-service';
import { Closer, configFor, ibAdapter, ibSource, listFolder, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

/** A data service as a user configures it (loadConfig), on a fast direct-IB adapter unless given one. */
function service(
  sim: IbSimulator,
  dataDir: string,
  options: { adapter?: AsyncDataAdapter; now?: () => number } = {},
): DataService {
  const config = configFor(sim, dataDir);
  return closer.add(
    new DataService({
      config,
      adapter: options.adapter ?? ibAdapter(closer, config.ib),
      manager: { retryBaseMs: 20, now: options.now },
    }),
    (s) => s.close(),
  );
}

/** A data folder that does not exist yet, inside a temporary folder. */
async function freshDataDir(): Promise<string> {
  return join(await tempDir(closer), 'data');
}

function recordProgress<T>(handle: OperationHandle<T>): OperationProgress[] {
  const seen: OperationProgress[] = [];
  handle.on('progress', (progress) => seen.push(progress));
  return seen;
}

/** NYSE full-day closures of 2023 (New Year observed ... Christmas). */
const NYSE_HOLIDAYS_2023 = [
  '2023-01-02',
  '2023-01-16',
  '2023-02-20',
  '2023-04-07',
  '2023-05-29',
  '2023-06-19',
  '2023-07-04',
  '2023-09-04',
  '2023-11-23',
  '2023-12-25',
];
/** NYSE 13:00 closes of 2023: 09:30-13:00 is four hourly bars (09:30, 10:00, 11:00, 12:00). */
const NYSE_EARLY_CLOSES_2023 = ['2023-07-03', '2023-11-24'];

const newYorkClock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Minutes after midnight, New York time. */
function newYorkMinutes(ms: number): number {
  const parts = Object.fromEntries(newYorkClock.formatToParts(ms).map((p) => [p.type, p.value]));
  return Number(parts['hour']) * 60 + Number(parts['minute']);
}

function isStrictlyIncreasing(times: ArrayLike<number>): boolean {
  for (let i = 1; i < times.length; i++) if (!((times[i] as number) > (times[i - 1] as number))) return false;
  return true;
}

describe('DataService over TCP against the IB simulator', () => {
  it('loads a year of 1h bars: every trading day, regular hours only, in the Python layout', async () => {
    const sim = await simulator(closer);
    const dataDir = await freshDataDir();
    const data = service(sim, dataDir);

    const handle = await data.loadData({
      symbol: 'aapl',
      timeframe: '1h',
      start: '2023-01-01',
      end: '2024-01-01',
    });
    const progress = recordProgress(handle);
    const result = await handle.result();

    const times = Array.from(result.frame.columns().time);
    expect(isStrictlyIncreasing(times)).toBe(true);
    const barsPerDay = new Map<string, number>();
    for (const time of times) {
      const day = new Date(time).toISOString().slice(0, 10);
      barsPerDay.set(day, (barsPerDay.get(day) ?? 0) + 1);
      const minutes = newYorkMinutes(time);
      expect(minutes).toBeGreaterThanOrEqual(9 * 60 + 30);
      expect(minutes).toBeLessThan(16 * 60);
    }
    // 260 weekdays less 10 holidays; no weekend or holiday bar.
    expect(barsPerDay.size).toBe(250);
    for (const [day, count] of barsPerDay) {
      expect([0, 6]).not.toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
      expect(NYSE_HOLIDAYS_2023).not.toContain(day);
      expect(count, day).toBe(NYSE_EARLY_CLOSES_2023.includes(day) ? 4 : 7);
    }
    expect(result.frame.length).toBe(248 * 7 + 2 * 4);

    // Simulated data lives apart, in the Python file layout.
    const path = join(dataDir, 'simulated', 'AAPL_1h.csv');
    expect(result.path).toBe(path);
    expect(result.simulated).toBe(true);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('date,open,high,low,close,volume');
    expect(lines).toHaveLength(result.frame.length + 1);
    expect(lines[1]).toMatch(/^2023-01-03T14:30:00Z,\d+(\.\d+)?,/);
    expect(await listFolder(dataDir)).not.toContain('AAPL_1h.csv');

    expect(handle.status).toBe('completed');
    expect(handle.describe().result_summary).toMatchObject({
      symbol: 'AAPL',
      timeframe: '1h',
      simulated: true,
      bars: result.frame.length,
      first_bar: '2023-01-03T14:30:00Z',
      last_bar: '2023-12-29T20:00:00Z',
      added_bars: result.frame.length,
      segments: { failed: 0 },
      failed_segments: [],
      path,
    });
    // The reference steps: validate 2%, fetch 10-96%, merge 96%, save 98%, done 100%.
    expect(progress[0]).toMatchObject({ percentage: 2, current_step: 'validate' });
    const firstOf = (step: string) => progress.find((p) => p.current_step === step)?.percentage;
    expect([firstOf('fetch'), firstOf('merge'), firstOf('save'), firstOf('done')]).toEqual([10, 96, 98, 100]);
    const percentages = progress.map((p) => p.percentage);
    expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
    const segments = result.segments.total;
    expect(progress.filter((p) => p.current_step === 'fetch' && p.current_item !== undefined)).toHaveLength(
      segments,
    );
    // Hourly requests may span 30 days: a year needs about a dozen, each sent once.
    expect(segments).toBeLessThanOrEqual(13);
    expect(sim.stats.requestsByKind['historical-data']).toBe(segments);
    expect(sim.stats.pacingViolations).toBe(0);
  });

  it('tail-loads again without fetching or losing anything, then fetches only what is new', async () => {
    const sim = await simulator(closer);
    const dataDir = await freshDataDir();
    const data = service(sim, dataDir);
    const first = await data
      .loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-03-01', end: '2024-05-01' })
      .then((load) => load.result());
    const bytes = await readFile(first.path);
    const requests = sim.stats.requestsByKind['historical-data'];

    const again = await data.loadData({
      symbol: 'AAPL',
      timeframe: '1h',
      start: '2024-03-01',
      end: '2024-05-01',
    });
    const second = await again.result();
    expect(second.segments.total).toBe(0);
    expect(second.fetchedBars).toBe(0);
    expect(second.addedBars).toBe(0);
    expect(second.frame.length).toBe(first.frame.length);
    expect(again.describe().result_summary).toMatchObject({
      segments: { total: 0 },
      bars: first.frame.length,
    });
    expect(await readFile(first.path)).toEqual(bytes);
    expect(sim.stats.requestsByKind['historical-data']).toBe(requests);

    // Two more weeks: only they are fetched; what was stored stays as it was.
    const third = await data
      .loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-03-01', end: '2024-05-15' })
      .then((load) => load.result());
    expect(third.segments.total).toBe(1);
    const added = third.frame.slice(Date.parse('2024-05-01T00:00:00Z'));
    expect(third.addedBars).toBe(added.length);
    expect(added.length).toBe(10 * 7);
    const after = await readFile(first.path);
    expect(after.subarray(0, bytes.length)).toEqual(bytes);
  });

  // Strict: one request per trading day. Practical: four sessions per request (asked as `5 D`, one
  // session of margin), across weekends: 15 sessions in 4 requests.
  it.each([
    ['strict', 15],
    ['practical', 4],
  ] as const)('loads 1-minute bars, 390 per day: %s pacing sends %i requests', async (pacing, requests) => {
    const sim = await simulator(closer);
    const data = service(sim, await freshDataDir());
    // Three weeks, weekends included: fifteen sessions.
    const result = await data
      .loadData({ symbol: 'AAPL', timeframe: '1m', start: '2024-03-04', end: '2024-03-23', pacing })
      .then((load) => load.result());
    const perDay = new Map<string, number>();
    for (const time of result.frame.columns().time) {
      const day = new Date(time).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect(perDay.size).toBe(15);
    expect([...perDay.values()].every((count) => count === 390)).toBe(true);
    expect(result.segments.total).toBe(requests);
    expect(sim.stats.requestsByKind['historical-data']).toBe(requests);
    expect(sim.stats.durationViolations).toBe(0);
  });

  it('tail-loads from the last stored bar to now when no dates are given', async () => {
    const sim = await simulator(closer);
    const data = service(sim, await freshDataDir(), { now: () => Date.parse('2024-05-15T21:00:00Z') });
    const first = await data
      .loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-04-01', end: '2024-05-01' })
      .then((load) => load.result());
    const requests = sim.stats.requestsByKind['historical-data'];

    const tail = await data.loadData({ symbol: 'AAPL', timeframe: '1h' }).then((load) => load.result());
    expect(tail.segments.total).toBe(1);
    expect(sim.stats.requestsByKind['historical-data']).toBe(requests + 1);
    expect(tail.addedBars).toBe(11 * 7);
    // With no range given, the result is the whole stored series.
    expect(tail.frame.firstTime).toBe(first.frame.firstTime);
    expect(tail.frame.lastTime).toBe(Date.parse('2024-05-15T19:00:00Z'));
    expect(tail.frame.length).toBe(first.frame.length + 11 * 7);
    expect(tail.frame.slice(0, Date.parse('2024-05-01T00:00:00Z')).toRows()).toEqual(first.frame.toRows());
  });

  it('loads through the IB host service over HTTP when the configuration says so', async () => {
    const sim = await simulator(closer);
    const server = closer.add(await serveService(createIbHostService(ibSource(closer, sim))), (s) =>
      s.close(),
    );
    const dataDir = await freshDataDir();
    const config = loadConfig({ ib: { useHostService: true, hostServiceUrl: server.url }, dataDir }, {});
    const data = closer.add(new DataService({ config }), (s) => s.close());
    expect(data.adapter.transport.kind).toBe('http');

    const overHttp = await data
      .loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-09' })
      .then((load) => load.result());
    const direct = await service(sim, await freshDataDir())
      .loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-09' })
      .then((load) => load.result());
    expect(overHttp.simulated).toBe(true);
    expect(overHttp.frame.length).toBe(35);
    expect(await readFile(overHttp.path)).toEqual(await readFile(direct.path));
    expect(await data.healthCheck()).toMatchObject({ healthy: true, mode: 'http', source: 'ib' });
  });

  it('refills a hole inside the stored range in full mode, and only the hole', async () => {
    const sim = await simulator(closer);
    const dataDir = await freshDataDir();
    const data = service(sim, dataDir);
    const range = { symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-16' };
    const complete = await data.loadData(range).then((load) => load.result());
    const holeStart = Date.parse('2024-03-07T00:00:00Z');
    const holeEnd = Date.parse('2024-03-09T00:00:00Z');
    const withHole = complete.frame.toRows().filter((bar) => bar.time < holeStart || bar.time >= holeEnd);
    await data.store.save('AAPL', '1h', BarFrame.fromRows(withHole), { simulated: true });

    const tail = await data.loadData(range).then((load) => load.result());
    expect(tail.segments.total).toBe(0);
    const full = await data.loadData({ ...range, mode: 'full' }).then((load) => load.result());
    expect(full.segments.total).toBe(1);
    expect(full.addedBars).toBe(complete.frame.length - withHole.length);
    expect(full.frame.toRows()).toEqual(complete.frame.toRows());
  });

  it('rejects an unknown symbol with UnknownSymbolError and writes nothing', async () => {
    const sim = await simulator(closer);
    const dataDir = await freshDataDir();
    // As configured, without any adapter given: the direct-IB transport from the configuration.
    const data = closer.add(new DataService({ config: configFor(sim, dataDir) }), (s) => s.close());
    expect(data.adapter.transport.kind).toBe('ib');
    const handle = await data.loadData({
      symbol: 'ZZZZ',
      timeframe: '1h',
      start: '2024-03-01',
      end: '2024-03-08',
    });
    const error = await handle.result().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownSymbolError);
    expect(error).toMatchObject({ code: 'unknown_symbol' });
    expect(handle.status).toBe('failed');
    expect(handle.describe()).toMatchObject({ error_code: 'unknown_symbol' });
    expect(sim.stats.requestsByKind['contract-details']).toBeGreaterThan(0);
    expect(sim.stats.requestsByKind['historical-data']).toBe(0);
    expect(await listFolder(dataDir)).toBeUndefined();
  });

  const badRequests: [string, Partial<LoadRequest>, string][] = [
    ['a path-like symbol', { symbol: '../etc' }, 'symbol'],
    ['a symbol with a path separator', { symbol: 'AAPL/../../x' }, 'symbol'],
    ['reversed dates', { start: '2024-03-08', end: '2024-03-01' }, 'start'],
    ['an unknown timeframe', { timeframe: '1H' }, 'timeframe'],
    ['an unknown mode', { mode: 'everything' as LoadMode }, 'mode'],
    [
      'an unknown instrument type',
      { instrumentType: 'OPT' as LoadRequest['instrumentType'] },
      'instrumentType',
    ],
  ];
  it.each(badRequests)(
    'rejects %s with ValidationError before any operation, writing nothing',
    async (_, bad, field) => {
      const sim = await simulator(closer);
      const dataDir = await freshDataDir();
      const data = service(sim, dataDir);
      const request: LoadRequest = {
        symbol: 'AAPL',
        timeframe: '1h',
        start: '2024-03-01',
        end: '2024-03-08',
        ...bad,
      };
      let error: unknown;
      try {
        await data.loadData(request);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 'validation', details: { field } });
      expect(data.operations.list()).toEqual([]);
      expect(sim.stats.requests).toBe(0);
      expect(await listFolder(dataDir)).toBeUndefined();
    },
  );

  it('answers a local load with nothing stored with NotFoundError, writing nothing', async () => {
    const sim = await simulator(closer);
    const dataDir = await freshDataDir();
    const data = service(sim, dataDir);
    const handle = await data.loadData({ symbol: 'AAPL', timeframe: '1h', mode: 'local' });
    const error = await handle.result().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'not_found' });
    expect(handle.status).toBe('failed');
    expect(sim.stats.requests).toBe(0);
    expect(await listFolder(dataDir)).toBeUndefined();
    await expect(data.getDataRange('AAPL', '1h')).rejects.toBeInstanceOf(NotFoundError);
    await expect(data.loadCachedData('AAPL', '1h')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads back what it stored: cached data, symbols, range, and a local load', async () => {
    const sim = await simulator(closer);
    const data = service(sim, await freshDataDir());
    const loaded = await data
      .loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-09' })
      .then((load) => load.result());
    expect(loaded.frame.length).toBe(5 * 7);

    const cached = await data.loadCachedData('AAPL', '1h', { start: '2024-03-05', end: '2024-03-06' });
    expect(cached.simulated).toBe(true);
    expect(cached.frame.toRows()).toEqual(
      loaded.frame.slice(Date.parse('2024-03-05T00:00:00Z'), Date.parse('2024-03-06T00:00:00Z')).toRows(),
    );
    expect(await data.getAvailableSymbols()).toMatchObject([
      { symbol: 'AAPL', timeframes: ['1h'], simulated: true },
    ]);
    expect(await data.getDataRange('AAPL', '1h')).toEqual({
      symbol: 'AAPL',
      timeframe: '1h',
      start: '2024-03-04T14:30:00Z',
      end: '2024-03-08T20:00:00Z',
      rows: 35,
      simulated: true,
    });
    const requests = sim.stats.requests;
    const local = await data
      .loadData({ symbol: 'AAPL', timeframe: '1h', mode: 'local' })
      .then((load) => load.result());
    expect(local.frame.toRows()).toEqual(loaded.frame.toRows());
    expect(sim.stats.requests).toBe(requests);
    expect(await data.healthCheck()).toMatchObject({ healthy: true, mode: 'ib', simulated: true });
  });
});
