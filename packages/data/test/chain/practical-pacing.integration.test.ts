/**
 * The practical pacing policy (the default) end to end: the adaptive IB client against the
 * simulator in its practical mode (no hard rules for bars over 30 s, a soft slowdown instead, the
 * practical duration cap), over real TCP, with the simulator's time scale keeping it fast.
 */
import type { OperationProgress } from '@ktrdr/core';
import { IbErrorText, type IbSimulator } from '@ktrdr/ib-sim';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IbDataSourceOptions } from '../../src/host-service/ib-data-source';
import { DataService, type LoadRequest } from '../../src/service/data-service';
import { expectSameSeries, expectStoreSound } from '../support/store-checks';
import { Closer, TIME_SCALE, configFor, ibAdapter, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

/** IB's 10-minute window at the tests' time scale. */
const WINDOW_MS = 600_000 / TIME_SCALE;

/** A soft slowdown that shows at the tests' time scale: 30 ms per request past 10 in 0.1 s. */
const SOFT = { perRequestMs: 3_000 };

function service(sim: IbSimulator, dataDir: string, ib: IbDataSourceOptions = {}): DataService {
  const config = configFor(sim, dataDir, 'practical');
  return closer.add(
    new DataService({ config, adapter: ibAdapter(closer, config.ib, ib), manager: { retryBaseMs: 20 } }),
    (s) => s.close(),
  );
}

/** Two overlapping loads of one series, and two of others. */
const STORM: readonly LoadRequest[] = [
  { symbol: 'AAPL', timeframe: '1m', mode: 'full', start: '2024-01-02', end: '2024-02-15' },
  { symbol: 'AAPL', timeframe: '1m', mode: 'full', start: '2024-02-01', end: '2024-03-15' },
  { symbol: 'MSFT', timeframe: '1m', mode: 'full', start: '2024-01-02', end: '2024-02-15' },
  { symbol: 'MSFT', timeframe: '5m', mode: 'full', start: '2024-01-02', end: '2024-04-01' },
];

/** What a clean, one-at-a-time load of the storm's series stores. */
const CLEAN: readonly LoadRequest[] = [
  { symbol: 'AAPL', timeframe: '1m', mode: 'full', start: '2024-01-02', end: '2024-03-15' },
  { symbol: 'MSFT', timeframe: '1m', mode: 'full', start: '2024-01-02', end: '2024-02-15' },
  { symbol: 'MSFT', timeframe: '5m', mode: 'full', start: '2024-01-02', end: '2024-04-01' },
];

describe('practical pacing against the simulator', () => {
  it('survives a storm of 4 concurrent loads: 0 hard violations, every bar stored, equal to a clean load', async () => {
    const sim = await simulator(closer, { latencyMs: 20, softPacing: SOFT, recordMessages: false });
    const stormDir = join(await tempDir(closer), 'data');
    const storm = service(sim, stormDir, { clientId: 61 });
    const handles = await Promise.all(STORM.map((request) => storm.loadData(request)));
    const results = await Promise.all(handles.map((handle) => handle.result()));

    expect(sim.stats.pacingViolations).toBe(0);
    expect(sim.stats.durationViolations).toBe(0);
    // The larger bars went through the soft slowdown, not the hard rules.
    expect(sim.stats.softPacedRequests).toBe(sim.stats.requestsByKind['historical-data']);
    for (const result of results) {
      expect(result.segments.failed).toBe(0);
      expect(result.failedSegments).toEqual([]);
    }
    // Several weeks of 1-minute bars per request: far fewer requests than trading days.
    expect(results[0]?.segments.total).toBeLessThan(10);

    const cleanDir = join(await tempDir(closer), 'data');
    const clean = service(sim, cleanDir, { clientId: 62 });
    for (const request of CLEAN) await clean.loadData(request).then((handle) => handle.result());
    await expectStoreSound(stormDir);
    await expectSameSeries(stormDir, cleanDir);
  }, 60_000);

  it('splits a request IB finds too long (162 "Time length exceed max") and still stores every bar', async () => {
    const sim = await simulator(closer, { latencyMs: 5 });
    // The first two requests of five sessions are refused as too long.
    sim.addScriptedFault({
      match: (request) => request.kind === 'historical-data' && request.duration === '5 D',
      action: { type: 'error', code: 162, message: IbErrorText.timeLengthExceeded },
      times: 2,
    });
    const dataDir = join(await tempDir(closer), 'data');
    const request: LoadRequest = { symbol: 'AAPL', timeframe: '1m', start: '2024-03-04', end: '2024-03-23' };
    const result = await service(sim, dataDir, { clientId: 63 })
      .loadData(request)
      .then((handle) => handle.result());
    expect(result.segments).toMatchObject({ total: 4, completed: 4, failed: 0 });
    expect(result.frame.length).toBe(15 * 390);
    // 4 segments, 2 of them answered only after a split in two.
    expect(sim.stats.requestsByKind['historical-data']).toBe(4 + 2 * 2);
  });

  it('splits a long request the gateway never answers (a timeout), and still stores every bar', async () => {
    const sim = await simulator(closer, { latencyMs: 5 });
    sim.addScriptedFault({
      match: (request) => request.kind === 'historical-data' && request.duration === '5 D',
      action: { type: 'never-answer' },
      times: 1,
    });
    const dataDir = join(await tempDir(closer), 'data');
    const request: LoadRequest = { symbol: 'AAPL', timeframe: '1m', start: '2024-03-04', end: '2024-03-16' };
    const result = await service(sim, dataDir, { clientId: 64, requestTimeoutMs: 1_000 })
      .loadData(request)
      .then((handle) => handle.result());
    expect(result.segments).toMatchObject({ completed: result.segments.total, failed: 0 });
    expect(result.frame.length).toBe(10 * 390);
    await expectStoreSound(dataDir);
  });

  it('shows an ETA from the plan, with no 10-minute pacing wait in it', async () => {
    const sim = await simulator(closer, { latencyMs: 20 });
    const data = service(sim, join(await tempDir(closer), 'data'), { clientId: 65 });
    // The ETA test of the strict policy: 67 one-day requests, the 61st waiting for the window.
    // Under practical the same range is 17 requests and none waits for it.
    const handle = await data.loadData({
      symbol: 'AAPL',
      timeframe: '1m',
      start: '2024-01-02',
      end: '2024-04-10',
    });
    expect(handle.describe().metadata['pacing']).toBe('practical');
    const seen: Array<{ at: number; progress: OperationProgress }> = [];
    handle.on('progress', (progress) => seen.push({ at: Date.now(), progress }));
    const result = await handle.result();
    expect(result.segments.total).toBeLessThan(20);
    const first = seen.find((s) => s.progress.estimated_completion !== undefined);
    expect(first).toBeDefined();
    // A strict plan of this load says more than the window (see load-eta.integration.test.ts).
    const ahead = Date.parse(first?.progress.estimated_completion ?? '') - (first?.at ?? 0);
    expect(ahead).toBeLessThan(WINDOW_MS);
  });
});
