import { CancelledError, type OperationProgress } from '@ktrdr/core';
import { type IbSimulator, IbErrorText, isNyseTradingDay } from '@ktrdr/ib-sim';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IbDataSourceOptions } from '../../src/host-service/ib-data-source';
import type { LoadDataResult } from '../../src/manager/load-types';
import { DataService, type LoadRequest } from '../../src/service/data-service';
import { summarizeLoad } from '../../src/service/load-summary';
import { Closer, configFor, ibAdapter, listFolder, simulator, tempDir, until } from './chain-fixtures';
import { expectSameSeries, expectStoreSound } from '../support/store-checks';
import { partialLoadOf } from '../../src/manager/load-outcome';

const closer = new Closer();
afterEach(() => closer.closeAll());

/** Five months of hourly bars: five 30-day requests, all in flight at once. */
const FIVE_MONTHS: LoadRequest = { symbol: 'AAPL', timeframe: '1h', start: '2024-01-02', end: '2024-06-01' };

function service(
  sim: IbSimulator,
  dataDir: string,
  ib: IbDataSourceOptions,
  manager: { maxConcurrentSegments?: number } = {},
): DataService {
  // Strict: these faults are aimed at the strict policy's many one-day segments (practical would
  // fetch the five months of 1h bars in one request).
  const config = configFor(sim, dataDir, 'strict');
  return closer.add(
    new DataService({
      config,
      adapter: ibAdapter(closer, config.ib, ib),
      manager: { retryBaseMs: 20, ...manager },
    }),
    (s) => s.close(),
  );
}

/** Loads `request` on its own connection into a fresh folder; returns the result and the CSV bytes. */
async function load(
  sim: IbSimulator,
  request: LoadRequest,
  ib: IbDataSourceOptions,
): Promise<{ result: LoadDataResult; csv: Buffer }> {
  const data = service(sim, join(await tempDir(closer), 'data'), ib);
  const result = await data.loadData(request).then((load) => load.result());
  await data.close();
  return { result, csv: await readFile(result.path) };
}

function isStrictlyIncreasing(times: ArrayLike<number>): boolean {
  for (let i = 1; i < times.length; i++) if (!((times[i] as number) > (times[i - 1] as number))) return false;
  return true;
}

/** Distinct TCP connections the simulator saw from `clientId`. */
function connectionsOf(sim: IbSimulator, clientId: number): number {
  return new Set(sim.messages.filter((m) => m.clientId === clientId).map((m) => m.connectionId)).size;
}

function historicalRequestsOf(sim: IbSimulator, clientId: number): number {
  return sim.messages.filter((m) => m.clientId === clientId && m.name === 'REQ_HISTORICAL_DATA').length;
}

describe('data loads through IB faults', () => {
  const drops: [string, (sim: IbSimulator) => Promise<void>][] = [
    [
      'the connection drops halfway through a historical reply',
      async (sim) => {
        sim.addScriptedFault({
          match: { kind: 'historical-data', clientId: 42 },
          action: { type: 'drop-mid-response' },
          skip: 1,
          times: 1,
        });
      },
    ],
    [
      'the connection drops after N messages',
      async (sim) => {
        // Contract details, head timestamp, its cancel, one historical request: the next one drops.
        await sim.setFaults({ dropAfterMessages: 5 });
        const accepted = sim.stats.connections;
        // Once dropped, let the reconnection (50 ms later at the soonest) live.
        void until(() => sim.stats.connections > accepted && sim.stats.activeConnections === 0, 15_000)
          .then(() => sim.setFaults({}))
          .catch(() => undefined);
      },
    ],
    [
      'the connection drops once as a historical request arrives',
      async (sim) => {
        sim.addScriptedFault({
          match: { kind: 'historical-data', clientId: 42 },
          action: { type: 'drop-connection' },
          skip: 2,
          times: 1,
        });
      },
    ],
  ];
  it.each(drops)('reconnects and finishes with no bar lost or doubled when %s', async (_, injectFault) => {
    const sim = await simulator(closer, { latencyMs: 5 });
    const clean = await load(sim, FIVE_MONTHS, { clientId: 41 });
    sim.clearMessages();

    await injectFault(sim);
    const faulted = await load(sim, FIVE_MONTHS, { clientId: 42 });

    expect(connectionsOf(sim, 42)).toBeGreaterThanOrEqual(2);
    expect(historicalRequestsOf(sim, 42)).toBeGreaterThan(faulted.result.segments.total);
    expect(faulted.result.segments).toEqual({
      total: clean.result.segments.total,
      completed: 5,
      failed: 0,
      noData: 0,
    });
    expect(isStrictlyIncreasing(faulted.result.frame.columns().time)).toBe(true);
    expect(faulted.result.frame.length).toBe(clean.result.frame.length);
    expect(faulted.csv.equals(clean.csv)).toBe(true);
    await expectStoreSound(dirname(dirname(faulted.result.path)));
  });

  /** A clean load of `request` into its own folder: the reference a faulted load must end equal to. */
  async function cleanFolder(sim: IbSimulator, request: LoadRequest): Promise<string> {
    const dataDir = join(await tempDir(closer), 'data');
    await service(sim, dataDir, { clientId: 50 })
      .loadData(request)
      .then((load) => load.result());
    return dataDir;
  }

  it('the gateway lost mid-load: the load stops within the bound, with what it kept and how to resume', async () => {
    // The first reply at once, the others slowly; two in flight, so three are not even started.
    let historical = 0;
    const sim = await simulator(closer, {
      latencyMs: (request) => (request.kind !== 'historical-data' ? 0 : historical++ === 0 ? 5 : 500),
    });
    const reference = await cleanFolder(sim, FIVE_MONTHS);
    historical = 0;
    const dataDir = join(await tempDir(closer), 'data');
    const data = service(sim, dataDir, { clientId: 51 }, { maxConcurrentSegments: 2 });
    const handle = await data.loadData(FIVE_MONTHS);
    handle.on('progress', (update) => {
      // As after kill -9: open sockets die and nothing listens any more.
      if (update.steps_completed === 1)
        void sim.setFaults({ refuseConnections: true }).then(() => sim.dropConnections());
    });
    const error = await handle.result().catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'connection_failed' });
    expect((error as Error).message).toMatch(
      /AAPL 1h load stopped: .*Kept \d+ bar\(s\) in the store; 4 range\(s\) missing/,
    );
    const partial = partialLoadOf(error);
    expect(partial?.segments).toMatchObject({ total: 5, completed: 1, failed: 4 });
    expect(partial?.missingRanges).toHaveLength(4);
    expect(partial?.resume).toMatchObject({ mode: 'full', start: partial?.missingRanges[0]?.start });
    expect(handle.describe()).toMatchObject({
      status: 'failed',
      error_code: 'connection_failed',
      result_summary: { partial: true, bars: partial?.frame.length, missing_ranges: partial?.missingRanges },
    });
    expect(await expectStoreSound(dataDir)).toEqual({
      [join('simulated', 'AAPL_1h.csv')]: partial?.frame.length,
    });

    // Back up: the resume fetches exactly the rest.
    await sim.setFaults({});
    const resumed = await data
      .loadData({ symbol: 'AAPL', timeframe: '1h', ...partial?.resume })
      .then((load) => load.result());
    expect(resumed.segments).toMatchObject({ total: 4, failed: 0 });
    await expectSameSeries(dataDir, reference);
  });

  it('a script awaiting the result in its own process settles with an error when the gateway dies', async () => {
    let historical = 0;
    const sim = await simulator(closer, {
      latencyMs: (request) => (request.kind !== 'historical-data' ? 0 : historical++ === 0 ? 5 : 1_000),
    });
    const dataDir = join(await tempDir(closer), 'data');
    const script = fileURLToPath(new URL('../support/await-load-script.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
      // Strict: the test stops the gateway after the first of several segments (practical fetches
      // the five months of 1h bars in one request).
      env: {
        PATH: process.env['PATH'] ?? '',
        IB_PORT: String(sim.port),
        KTRDR_DATA_DIR: dataDir,
        KTRDR_IB_PACING: 'strict',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    closer.add(child, (c) => c.kill('SIGKILL'));
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/segments done: 1/.test(stderr)) resolve();
      }),
    );
    await sim.setFaults({ refuseConnections: true });
    sim.dropConnections();

    expect(await exited).toBe(1);
    expect(stderr).toMatch(/ServiceConnectionError: AAPL 1h load stopped/);
    await expectStoreSound(dataDir);
  });

  it('a silent gateway (accepts requests, never answers them) fails the load within its timeouts', async () => {
    const sim = await simulator(closer, {
      faults: { script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' }, skip: 2 }] },
    });
    const dataDir = join(await tempDir(closer), 'data');
    const data = service(sim, dataDir, { clientId: 52, requestTimeoutMs: 300 }, { maxConcurrentSegments: 1 });
    const error = await data
      .loadData(FIVE_MONTHS)
      .then((load) => load.result())
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'connection_failed' });
    const partial = partialLoadOf(error);
    expect(partial?.segments).toMatchObject({ total: 5, completed: 2, failed: 3 });
    await expectStoreSound(dataDir);
    // 2 answered, 3 attempts of the third; the other two were never sent.
    expect(historicalRequestsOf(sim, 52)).toBe(5);

    sim.clearScriptedFaults();
    const reference = await cleanFolder(sim, FIVE_MONTHS);
    await data.loadData(FIVE_MONTHS).then((load) => load.result());
    await expectSameSeries(dataDir, reference);
  });

  it('garbage from the gateway costs the request one timeout: it is sent again and the load completes', async () => {
    const sim = await simulator(closer);
    const reference = await cleanFolder(sim, FIVE_MONTHS);
    sim.addScriptedFault({
      match: { kind: 'historical-data' },
      action: { type: 'garbage' },
      skip: 1,
      times: 1,
    });
    const dataDir = join(await tempDir(closer), 'data');
    const result = await service(sim, dataDir, { clientId: 53, requestTimeoutMs: 500 })
      .loadData(FIVE_MONTHS)
      .then((load) => load.result());

    expect(result.segments).toEqual({ total: 5, completed: 5, failed: 0, noData: 0 });
    expect(historicalRequestsOf(sim, 53)).toBe(6);
    await expectStoreSound(dataDir);
    await expectSameSeries(dataDir, reference);
  });

  it('IB "no data" (162) mid-range is reported apart, remembered across services, and refetched on request', async () => {
    const sim = await simulator(closer);
    const reference = await cleanFolder(sim, FIVE_MONTHS);
    sim.clearMessages();
    sim.addScriptedFault({
      match: { kind: 'historical-data' },
      action: { type: 'error', code: 162, message: IbErrorText.noData('AAPL', 'SMART', 'TRADES') },
      skip: 2,
      times: 1,
    });
    const dataDir = join(await tempDir(closer), 'data');
    const request: LoadRequest = { ...FIVE_MONTHS, mode: 'full' };
    const first = await service(sim, dataDir, { clientId: 54 })
      .loadData(request)
      .then((load) => load.result());

    expect(first.segments).toEqual({ total: 5, completed: 4, failed: 0, noData: 1 });
    expect(first.failedSegments).toEqual([]);
    expect(first.noDataRanges).toEqual([
      {
        start: expect.any(String),
        end: expect.any(String),
        source: 'ib',
        rememberedUntil: expect.any(String),
      },
    ]);
    const hole = first.noDataRanges[0] as { start: string; end: string; rememberedUntil: string };
    // Old history: remembered for a week.
    expect(Date.parse(hole.rememberedUntil) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect(first.missingRanges).toEqual([]);
    expect(summarizeLoad(first)).toMatchObject({
      segments: { no_data: 1 },
      no_data_ranges: [
        { start: hole.start, end: hole.end, source: 'ib', remembered_until: hole.rememberedUntil },
      ],
      missing_ranges: [],
    });
    await expectStoreSound(dataDir);

    // Another service on the same folder (as another process would) does not ask again.
    sim.clearMessages();
    const second = await service(sim, dataDir, { clientId: 55 })
      .loadData(request)
      .then((load) => load.result());
    expect(historicalRequestsOf(sim, 55)).toBe(0);
    expect(second.noDataRanges).toEqual([{ ...hole, source: 'remembered' }]);
    expect(second.segments).toMatchObject({ failed: 0, noData: 1 });

    // Asked to, it refetches the range (IB now has bars there) and forgets the answer.
    const third = await service(sim, dataDir, { clientId: 56 })
      .loadData({ ...request, refetchEmpty: true })
      .then((load) => load.result());
    expect(historicalRequestsOf(sim, 56)).toBe(1);
    expect(third.noDataRanges).toEqual([]);
    await expectSameSeries(dataDir, reference);
    const fourth = await service(sim, dataDir, { clientId: 57 })
      .loadData(request)
      .then((load) => load.result());
    expect(fourth.noDataRanges).toEqual([]);
  });

  it('recovers from pacing violations IB reports (162), with the same bars as a clean load', async () => {
    const sim = await simulator(closer);
    const clean = await load(sim, FIVE_MONTHS, { clientId: 41 });
    sim.clearMessages();
    sim.resetStats();
    sim.addScriptedFault({
      match: { kind: 'historical-data' },
      action: { type: 'error', code: 162, message: IbErrorText.pacingViolation },
      times: 3,
    });

    const paced = await load(sim, FIVE_MONTHS, { clientId: 43 });
    expect(sim.stats.errorsSent).toBe(3);
    expect(historicalRequestsOf(sim, 43)).toBe(paced.result.segments.total + 3);
    expect(paced.result.segments.failed).toBe(0);
    expect(paced.csv.equals(clean.csv)).toBe(true);
  });

  it('sends nothing that strict pacing refuses, and recovers from the violations of a client that ignores it', async () => {
    // Fixture bars are cheap to serve, so the simulator never delays the client's sends: the
    // unpaced client below really bursts past "5 requests per contract in 2 s" (500 ms at x4).
    const sim = await simulator(closer, { pacing: 'strict', timeScale: 4 });
    const bars = [];
    for (let day = Date.UTC(2023, 0, 3) / 86_400_000; day < Date.UTC(2023, 7, 1) / 86_400_000; day++) {
      if (!isNyseTradingDay(day)) continue;
      for (let hour = 15; hour < 20; hour++) {
        bars.push({
          time: new Date(day * 86_400_000 + hour * 3_600_000),
          open: 10,
          high: 11,
          low: 9,
          close: 10.5,
          volume: 100,
        });
      }
    }
    sim.loadBars('FIXT', bars);
    const request: LoadRequest = { symbol: 'FIXT', timeframe: '1h', start: '2023-01-03', end: '2023-08-01' };

    const paced = await load(sim, request, {
      clientId: 44,
      pacing: { timeScale: 4, safetyMargin: { ms: 100 } },
    });
    expect(paced.result.segments.total).toBe(7);
    expect(sim.stats.pacingViolations).toBe(0);

    sim.resetPacing();
    sim.resetStats();
    const unpaced = await load(sim, request, { clientId: 45, pacing: { profile: 'off', timeScale: 400 } });
    expect(sim.stats.pacingViolations).toBeGreaterThan(0);
    expect(sim.stats.requestsByKind['historical-data']).toBe(
      unpaced.result.segments.total + sim.stats.pacingViolations,
    );
    expect(unpaced.result.segments.failed).toBe(0);
    expect(unpaced.csv.equals(paced.csv)).toBe(true);
  });

  it('cancelling one load while the symbol is being validated does not fail another load of it', async () => {
    const sim = await simulator(closer, {
      faults: { script: [{ match: { kind: 'contract-details' }, action: { type: 'delay', ms: 300 } }] },
    });
    const data = service(sim, join(await tempDir(closer), 'data'), { clientId: 49 });
    const range: LoadRequest = { symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-09' };
    const cancelled = await data.loadData(range);
    const other = await data.loadData(range);
    const cancelledOutcome = cancelled.result().catch((caught: unknown) => caught);
    await sim.waitForMessage('REQ_CONTRACT_DATA');
    cancelled.cancel('not needed');

    expect(await cancelledOutcome).toBeInstanceOf(CancelledError);
    const result = await other.result();
    expect(other.status).toBe('completed');
    expect(result.frame.length).toBe(35);
  });

  it('cancels running loads when the service closes', async () => {
    const sim = await simulator(closer, {
      faults: { script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' } }] },
    });
    const data = service(sim, join(await tempDir(closer), 'data'), { clientId: 48 });
    const handle = await data.loadData(FIVE_MONTHS);
    const outcome = handle.result().catch((caught: unknown) => caught);
    await sim.waitForMessage('REQ_HISTORICAL_DATA');

    await data.close();
    expect(await outcome).toBeInstanceOf(CancelledError);
    expect(handle.describe()).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    await expect(data.adapter.healthCheck()).rejects.toMatchObject({ code: 'connection_failed' });
  });

  it('cancels mid-load: completed segments stay on disk, the operation ends cancelled', async () => {
    // The first historical reply comes at once, every later one a minute later.
    let historical = 0;
    const sim = await simulator(closer, {
      latencyMs: (request) => (request.kind !== 'historical-data' ? 0 : historical++ === 0 ? 5 : 60_000),
    });
    const dataDir = join(await tempDir(closer), 'data');
    const data = service(sim, dataDir, { clientId: 46 }, { maxConcurrentSegments: 2 });

    const handle = await data.loadData(FIVE_MONTHS);
    const progress: OperationProgress[] = [];
    handle.on('progress', (update) => {
      progress.push(update);
      if (update.current_step === 'fetch' && update.steps_completed === 1) handle.cancel('enough');
    });
    const error = await handle.result().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CancelledError);
    expect(handle.status).toBe('cancelled');
    expect(handle.describe()).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    expect(data.operations.get(handle.id).status).toBe('cancelled');
    // The segment in flight was cancelled at IB; none was counted as done after the cancel.
    await sim.waitForMessage('CANCEL_HISTORICAL_DATA');
    expect(handle.progress.steps_completed).toBe(1);
    expect(sim.stats.requestsByKind['historical-data']).toBe(2);

    const done = progress.find((p) => p.steps_completed === 1)?.current_item ?? '';
    const [from, to] = done.split(' .. ').map((text) => Date.parse(text));
    const stored = await data.loadCachedData('AAPL', '1h');
    expect(stored.frame.length).toBeGreaterThan(100);
    expect(stored.frame.firstTime).toBeGreaterThanOrEqual(from as number);
    expect(stored.frame.lastTime).toBeLessThan(to as number);
    expect(await listFolder(dataDir)).toContain(join('simulated', 'AAPL_1h.csv'));

    // What was kept is exactly what a clean load has in that segment.
    sim.resetStats();
    historical = 0;
    const clean = await load(sim, { ...FIVE_MONTHS, start: from, end: to }, { clientId: 47 });
    expect(stored.frame.toRows()).toEqual(clean.result.frame.toRows());
  });
});
