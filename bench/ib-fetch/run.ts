/**
 * A year of 1-minute bars for one symbol through the IB simulator, with 500 ms request latency and
 * strict pacing at a compressed time scale. Run: `npx tsx bench/ib-fetch/run.ts`. The pacing
 * policies side by side at real speed are in `policies.ts`.
 *
 * The simulator runs in a child process (sim-process.ts), as a gateway would.
 *
 * Side by side, in one run:
 * - ours: every one-day segment handed to `IbClient` at once; the pacing scheduler keeps as many in
 *   flight as IB's rules allow (wall time, median of RUNS runs, each on a fresh simulator);
 * - the floor: the earliest the last reply can arrive under the rules (15 s identical, 5 per 2 s per
 *   contract, 60 per 10 minutes, 50 open) with the same latency, computed greedily and exactly;
 * - one at a time (the Python system's way): segments awaited in turn through the same client. It is
 *   latency-bound (pacing never binds it at this scale), so it is measured on a sample of segments
 *   and projected linearly to the year, which keeps the benchmark under two minutes.
 * - pacing violations the simulator counted (target 0).
 * - host service, all at once: the same segments, each through the IB host service over HTTP
 *   (`AsyncDataAdapter` -> `createIbHostService` on a real server, as `ktrdr-ib-host` serves it ->
 *   `IbClient`), against the same floor; failed fetches counted (target 0).
 * - the whole data path, twice, on the same year: `AsyncDataManager.loadData` (gap analysis, segments,
 *   retries, CSV store) over direct IB in-process, and over HTTP through the IB host service
 *   (`createIbHostService` on a real server, as `ktrdr-ib-host` serves it). The host-service rows'
 *   call deadline is IB_FETCH_HOST_DEADLINE_MS (default 4000, scaled down like the windows), far
 *   shorter than the pacing waits (the 10-minute window lasts 6 s at x100): every wait past it is a
 *   "still waiting" answer, never a failure. Each row against its own floor (its request count).
 *
 * Env: IB_FETCH_TIME_SCALE (default 100), IB_FETCH_RUNS (default 3), IB_FETCH_SAMPLE (default 16),
 * IB_FETCH_LEDGER=1 (pace through the cross-process pacing ledger, as `DataService` does),
 * IB_FETCH_HOST_DEADLINE_MS (default 4000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataUnavailableError, serveService } from '@ktrdr/core';
import type { IbSimulatorStats } from '@ktrdr/ib-sim';
import { mkdtempSync } from 'node:fs';
import { AsyncDataAdapter } from '../../packages/data/src/adapter/async-data-adapter';
import { createIbHostService } from '../../packages/data/src/host-service/create-ib-host-service';
import { createIbDataSource } from '../../packages/data/src/host-service/ib-data-source';
import { FilePacingLedger, IbClient, IbConnectionRegistry } from '../../packages/data/src/ib/index';
import { AsyncDataManager } from '../../packages/data/src/manager/async-data-manager';
import { CsvStore } from '../../packages/data/src/store/csv-store';
import { toEpochMs } from '../../packages/data/src/domain/dates';
import { parseSymbol } from '../../packages/data/src/domain/symbols';
import { pacingFloorMs } from './pacing-floor';
import { SimProcess } from './sim-client';

const TIME_SCALE = Number(process.env['IB_FETCH_TIME_SCALE'] ?? 100);
const RUNS = Number(process.env['IB_FETCH_RUNS'] ?? 3);
const SEQUENTIAL_SAMPLE = Number(process.env['IB_FETCH_SAMPLE'] ?? 16);
/** 1: pace through the cross-process ledger, as `DataService` does by default (one process here). */
const LEDGER = process.env['IB_FETCH_LEDGER'] === '1';
const HOST_DEADLINE_MS = Number(process.env['IB_FETCH_HOST_DEADLINE_MS'] ?? 4_000);
const LATENCY_MS = 500;
const SYMBOL = 'AAPL';
/** The simulated market's clock, and the end of the year fetched. */
const SIM_NOW = new Date('2024-07-01T00:00:00Z');
const DAY_MS = 86_400_000;

/** One-day segments ending at each weekday midnight UTC of the year before SIM_NOW. */
function yearOfSegments(): Date[] {
  const ends: Date[] = [];
  for (let t = SIM_NOW.getTime() - 365 * DAY_MS; t < SIM_NOW.getTime(); t += DAY_MS) {
    const end = new Date(t + DAY_MS);
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) ends.push(end);
  }
  return ends;
}

async function withSimulator<T>(run: (sim: SimProcess, client: IbClient) => Promise<T>): Promise<T> {
  const sim = await SimProcess.start({
    latencyMs: LATENCY_MS,
    timeScale: TIME_SCALE,
    nowIso: SIM_NOW.toISOString(),
  });
  const registry = new IbConnectionRegistry();
  const client = new IbClient({
    host: sim.host,
    port: sim.port,
    clientId: 1,
    registry,
    idleCloseMs: false,
    pacing: {
      profile: 'strict',
      timeScale: TIME_SCALE,
      ledger: LEDGER
        ? new FilePacingLedger({ file: join(mkdtempSync(join(tmpdir(), 'ib-fetch-')), 'ledger.jsonl') })
        : false,
    },
  });
  try {
    await client.connect();
    // Warm-up outside the measured year: the simulator shares this process, and its first bar
    // generation (JIT) would otherwise delay the first measured requests. It counts against the
    // pacing windows on both sides, as it would on a real gateway.
    await fetchSegment(client, new Date(SIM_NOW.getTime() - 400 * DAY_MS));
    await sim.resetStats();
    return await run(sim, client);
  } finally {
    registry.closeAll();
    await sim.close();
  }
}

/** Bars of one segment; a holiday has none (IB's "no data"), which counts as zero bars. */
async function fetchSegment(client: IbClient, end: Date): Promise<number> {
  try {
    const { bars } = await client.fetchHistoricalBars({
      symbol: SYMBOL,
      instrumentType: 'STK',
      timeframe: '1m',
      end,
      duration: { days: 1 },
    });
    return bars.length;
  } catch (error) {
    if (error instanceof DataUnavailableError) return 0;
    throw error;
  }
}

interface RunResult {
  wallMs: number;
  /** Violations per rule, when there were any. */
  rules: string;
  bars: number;
  violations: number;
  requests: number;
  maxOpen: number;
}

async function concurrentRun(ends: Date[]): Promise<RunResult> {
  return withSimulator(async (sim, client) => {
    const start = performance.now();
    const counts = await Promise.all(ends.map((end) => fetchSegment(client, end)));
    const wallMs = performance.now() - start;
    const stats = await sim.stats();
    return {
      wallMs,
      bars: counts.reduce((a, b) => a + b, 0),
      violations: stats.pacingViolations,
      rules: describeViolations(stats),
      requests: stats.requestsByKind['historical-data'],
      maxOpen: client.status().pacing.maxOpen,
    };
  });
}

/**
 * Every one-day segment at once, as `concurrentRun`, but each through the IB host service over HTTP
 * (`AsyncDataAdapter` -> `createIbHostService` on a real server here -> `IbClient`): what
 * `ktrdr-ib-host` adds to direct IB. A fetch that fails counts, apart from "no data" (a holiday).
 */
async function hostServiceRun(ends: Date[]): Promise<LoadRunResult> {
  const sim = await SimProcess.start({
    latencyMs: LATENCY_MS,
    timeScale: TIME_SCALE,
    nowIso: SIM_NOW.toISOString(),
  });
  const registry = new IbConnectionRegistry();
  const source = createIbDataSource({
    host: sim.host,
    port: sim.port,
    clientId: 3,
    registry,
    idleCloseMs: false,
    useRTH: false,
    pacing: { profile: 'strict', timeScale: TIME_SCALE },
  });
  const server = await serveService(createIbHostService(source));
  const adapter = new AsyncDataAdapter({ kind: 'http', url: server.url, deadlineMs: HOST_DEADLINE_MS });
  const failures = new Map<string, number>();
  const fetchDay = async (end: Date): Promise<number> => {
    const start = new Date(end.getTime() - DAY_MS);
    try {
      return (await adapter.fetchHistoricalData(SYMBOL, '1m', { start, end, instrumentType: 'STK' })).frame
        .length;
    } catch (error) {
      if (error instanceof DataUnavailableError) return 0;
      const message = error instanceof Error ? error.message : String(error);
      failures.set(message, (failures.get(message) ?? 0) + 1);
      return -1;
    }
  };
  try {
    // Warm-up outside the measured year, as in `withSimulator`.
    await fetchDay(new Date(SIM_NOW.getTime() - 400 * DAY_MS));
    await sim.resetStats();
    const start = performance.now();
    const counts = await Promise.all(ends.map(fetchDay));
    const wallMs = performance.now() - start;
    const stats = await sim.stats();
    for (const [message, count] of failures) console.log(`    failed ${count}x: ${message}`);
    return {
      wallMs,
      bars: counts.filter((n) => n > 0).reduce((a, b) => a + b, 0),
      violations: stats.pacingViolations,
      rules: describeViolations(stats),
      requests: stats.requestsByKind['historical-data'],
      segments: ends.length,
      failed: counts.filter((n) => n < 0).length,
      waits: adapter.stats().errorsByCode.rate_limited ?? 0,
    };
  } finally {
    await adapter.close();
    await server.close();
    await source.close();
    registry.closeAll();
    await sim.close();
  }
}

async function sequentialRun(ends: Date[]): Promise<RunResult> {
  return withSimulator(async (sim, client) => {
    const start = performance.now();
    let bars = 0;
    for (const end of ends) bars += await fetchSegment(client, end);
    const wallMs = performance.now() - start;
    const stats = await sim.stats();
    return {
      wallMs,
      bars,
      violations: stats.pacingViolations,
      rules: describeViolations(stats),
      requests: stats.requestsByKind['historical-data'],
      maxOpen: client.status().pacing.maxOpen,
    };
  });
}

interface LoadRunResult extends Omit<RunResult, 'maxOpen'> {
  /** Segments the load planned, and those that failed (target 0). */
  segments: number;
  failed: number;
  /** "Still waiting" answers the host gave (host-service row only). */
  waits: number;
}

/**
 * A year of 1-minute bars through the data path: `loadData` into an empty store, over direct IB
 * in-process, or over HTTP through the IB host service served here on 127.0.0.1:0.
 */
async function loadRun(via: 'direct' | 'host-service'): Promise<LoadRunResult> {
  const sim = await SimProcess.start({
    latencyMs: LATENCY_MS,
    timeScale: TIME_SCALE,
    nowIso: SIM_NOW.toISOString(),
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'ktrdr-ib-fetch-'));
  const registry = new IbConnectionRegistry();
  const source = createIbDataSource({
    host: sim.host,
    port: sim.port,
    clientId: 2,
    registry,
    idleCloseMs: false,
    pacing: { profile: 'strict', timeScale: TIME_SCALE },
  });
  const server = via === 'host-service' ? await serveService(createIbHostService(source)) : undefined;
  const adapter =
    server === undefined
      ? new AsyncDataAdapter({ kind: 'in-process', source, transportKind: 'ib' })
      : new AsyncDataAdapter({ kind: 'http', url: server.url, deadlineMs: HOST_DEADLINE_MS });
  const manager = new AsyncDataManager({
    pacing: 'strict',
    adapter,
    store: new CsvStore({ dataDir }),
    now: () => SIM_NOW.getTime(),
  });
  try {
    await sim.resetStats();
    const start = performance.now();
    const result = await manager.loadData(parseSymbol(SYMBOL), '1m', {
      mode: 'full',
      start: toEpochMs(SIM_NOW.getTime() - 365 * DAY_MS, 'start'),
      end: toEpochMs(SIM_NOW, 'end'),
    });
    const wallMs = performance.now() - start;
    const stats = await sim.stats();
    return {
      wallMs,
      bars: result.frame.length,
      violations: stats.pacingViolations,
      rules: describeViolations(stats),
      requests: stats.requestsByKind['historical-data'],
      segments: result.segments.total,
      failed: result.segments.failed,
      waits: adapter.stats().errorsByCode.rate_limited ?? 0,
    };
  } finally {
    await adapter.close();
    await server?.close();
    await source.close();
    registry.closeAll();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function describeViolations(stats: IbSimulatorStats): string {
  const broken = Object.entries(stats.violationsByRule).filter(([, count]) => count > 0);
  return broken.length === 0 ? '' : ` [${broken.map(([rule, count]) => `${rule}: ${count}`).join(', ')}]`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const ends = yearOfSegments();
  const n = ends.length;
  const floorMs = pacingFloorMs(n, TIME_SCALE, LATENCY_MS);
  const sequentialFloorMs = pacingFloorMs(n, TIME_SCALE, LATENCY_MS, 1);
  console.log(
    `ib-fetch: ${SYMBOL} 1-minute bars, ${n} one-day segments (weekdays of the year to ${SIM_NOW.toISOString().slice(0, 10)}), ` +
      `latency ${LATENCY_MS} ms, strict pacing, timeScale ${TIME_SCALE} (10-minute window = ${seconds(600_000 / TIME_SCALE)}), ${RUNS} runs` +
      (LEDGER ? ', shared pacing ledger' : ''),
  );

  const concurrent: RunResult[] = [];
  const sequential: RunResult[] = [];
  const hostAtOnce: LoadRunResult[] = [];
  const direct: LoadRunResult[] = [];
  const host: LoadRunResult[] = [];
  const describeLoad = (r: LoadRunResult) =>
    `${seconds(r.wallMs)} (${r.segments} segments, ${r.failed} failed, ${r.requests} requests, ${r.bars} bars, ` +
    `${r.violations} violations${r.rules}, ${(r.wallMs / pacingFloorMs(r.requests, TIME_SCALE, LATENCY_MS)).toFixed(3)}x its floor` +
    `${r.waits > 0 ? `, ${r.waits} "still waiting" answers` : ''})`;
  for (let run = 0; run < RUNS; run++) {
    concurrent.push(await concurrentRun(ends));
    sequential.push(await sequentialRun(ends.slice(0, SEQUENTIAL_SAMPLE)));
    hostAtOnce.push(await hostServiceRun(ends));
    direct.push(await loadRun('direct'));
    host.push(await loadRun('host-service'));
    const c = concurrent[run] as RunResult;
    const s = sequential[run] as RunResult;
    console.log(
      `  run ${run + 1}: ours ${seconds(c.wallMs)} (${c.requests} requests, ${c.bars} bars, ${c.violations} violations${c.rules}, ` +
        `max ${c.maxOpen} in flight); one-at-a-time ${seconds(s.wallMs)} for ${SEQUENTIAL_SAMPLE} segments ` +
        `(${s.violations} violations)`,
    );
    console.log(`         host service, all at once:   ${describeLoad(hostAtOnce[run] as LoadRunResult)}`);
    console.log(`         loadData direct IB:          ${describeLoad(direct[run] as LoadRunResult)}`);
    console.log(`         loadData via host service:   ${describeLoad(host[run] as LoadRunResult)}`);
  }

  const ours = median(concurrent.map((r) => r.wallMs));
  const perSegment = median(sequential.map((r) => r.wallMs / SEQUENTIAL_SAMPLE));
  const oneAtATime = perSegment * n;
  const violations = [...concurrent, ...sequential, ...hostAtOnce, ...direct, ...host].reduce(
    (sum, r) => sum + r.violations,
    0,
  );
  const failed = [...hostAtOnce, ...direct, ...host].reduce((sum, r) => sum + r.failed, 0);
  const loadRatio = (rows: LoadRunResult[]) =>
    median(rows.map((r) => r.wallMs / pacingFloorMs(r.requests, TIME_SCALE, LATENCY_MS)));
  console.log(`ours (all segments at once, paced):      ${seconds(ours)} (median)`);
  console.log(`pacing floor (rules + latency, exact):    ${seconds(floorMs)}`);
  console.log(
    `one-at-a-time, projected to ${n} segments: ${seconds(oneAtATime)} (${perSegment.toFixed(0)} ms per segment; floor ${seconds(sequentialFloorMs)})`,
  );
  console.log(`ratio ours / floor:                       ${(ours / floorMs).toFixed(3)}`);
  console.log(`speed-up vs one-at-a-time:                ${(oneAtATime / ours).toFixed(2)}x`);
  console.log(
    `host service, all at once (HTTP):        ${seconds(median(hostAtOnce.map((r) => r.wallMs)))} (median), ` +
      `${loadRatio(hostAtOnce).toFixed(3)}x the floor, deadline ${HOST_DEADLINE_MS} ms per call`,
  );
  console.log(
    `loadData direct IB (data path, in-process): ${seconds(median(direct.map((r) => r.wallMs)))} (median), ` +
      `${loadRatio(direct).toFixed(3)}x its floor`,
  );
  console.log(
    `loadData via IB host service (HTTP):       ${seconds(median(host.map((r) => r.wallMs)))} (median), ` +
      `${loadRatio(host).toFixed(3)}x its floor, deadline ${HOST_DEADLINE_MS} ms per call`,
  );
  console.log(`failed segments or fetches (host and data-path rows, all runs): ${failed}`);
  console.log(`pacing violations (all runs):             ${violations}`);
  // At real speed the 60-per-10-minutes rule dominates both ways of fetching one symbol.
  console.log(
    `at timeScale 1 (a real gateway): floor ${seconds(pacingFloorMs(n, 1, LATENCY_MS))}, ` +
      `one-at-a-time floor ${seconds(pacingFloorMs(n, 1, LATENCY_MS, 1))}`,
  );
  if (violations > 0 || failed > 0) process.exitCode = 1;
}

await main();
