/**
 * The pacing policies side by side at real speed (timeScale 1): one year of AAPL 1-minute bars
 * through the whole data path (`AsyncDataManager.loadData`: gap analysis, segments, retries, the
 * CSV store) over direct IB, against the simulator in a child process with 500 ms base latency.
 * Run: `npx tsx bench/ib-fetch/policies.ts`.
 *
 * Rows:
 * - practical (the default): segments of 4 sessions (asked as `5 D`), the adaptive throttle, the
 *   simulator in its practical mode (hard rules for bars of 30 s or less only; the soft slowdown of
 *   larger bars with its default, documented parameters). Target <= 120 s, 0 hard violations.
 * - one at a time: the same, one segment in flight (`maxConcurrentSegments: 1`).
 * - strict: its plan, not run (at real speed it takes about 40 minutes): the one-day segments the
 *   strict planner makes for the same year, their floor under IB's hard rules (exact, greedy) and
 *   the pacing scheduler's own estimate for them; and one at a time, the same floor with one open.
 * - small bars: 30-second bars over one week (the last full week before the simulated now; IB
 *   keeps them 6 months), extended hours, 8-hour requests (the practical cap), all at once through
 *   `IbClient` under the hard rules, against their exact floor. Target <= 1.1x.
 *
 * The small-bars row also reports when the last request reached the simulator against the rules'
 * floor for it: the part the pacing decides, apart from the simulator's time to build the replies
 * (its 30-second bars cost it 0.1-0.5 s of CPU each on a loaded machine, serially).
 *
 * Env: IB_POLICIES_RUNS (default 1: a run takes about two minutes at real speed),
 * IB_POLICIES_SMALL_RUNS (default 5).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calendarForInstrument } from '../../packages/data/src/calendar/exchange-calendars';
import { AsyncDataAdapter } from '../../packages/data/src/adapter/async-data-adapter';
import { toEpochMs } from '../../packages/data/src/domain/dates';
import { parseSymbol } from '../../packages/data/src/domain/symbols';
import { analyzeGaps } from '../../packages/data/src/gaps/gap-analysis';
import { createIbDataSource } from '../../packages/data/src/host-service/ib-data-source';
import { IbClient, IbConnectionRegistry, PacingScheduler } from '../../packages/data/src/ib/index';
import { requestSpanLimit } from '../../packages/data/src/ib/request-spans';
import { AsyncDataManager } from '../../packages/data/src/manager/async-data-manager';
import { planSegments } from '../../packages/data/src/manager/plan-segments';
import { CsvStore } from '../../packages/data/src/store/csv-store';
import { pacingFloorMs, servedFloorMs } from './pacing-floor';
import { SimProcess } from './sim-client';

const RUNS = Number(process.env['IB_POLICIES_RUNS'] ?? 1);
const SMALL_RUNS = Number(process.env['IB_POLICIES_SMALL_RUNS'] ?? 5);
const LATENCY_MS = 500;
const SYMBOL = 'AAPL';
const SIM_NOW = new Date('2024-07-01T00:00:00Z');
const DAY_MS = 86_400_000;
const YEAR = { start: SIM_NOW.getTime() - 365 * DAY_MS, end: SIM_NOW.getTime() };

interface Row {
  wallMs: number;
  requests: number;
  segments: number;
  failed: number;
  bars: number;
  hardViolations: number;
  softDelayMs: number;
  /** The adaptive throttle at the end: its window, how often it backed off, most requests open. */
  throttle?: { window: number; backoffs: number; maxOpen: number };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A year of 1-minute bars through the data path under `practical`, `concurrency` segments at once. */
async function practicalLoad(concurrency: number): Promise<Row> {
  const sim = await SimProcess.start({
    latencyMs: LATENCY_MS,
    timeScale: 1,
    nowIso: SIM_NOW.toISOString(),
    pacing: 'practical',
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'ktrdr-ib-policies-'));
  const registry = new IbConnectionRegistry();
  const source = createIbDataSource({
    host: sim.host,
    port: sim.port,
    clientId: 5,
    registry,
    idleCloseMs: false,
  });
  const adapter = new AsyncDataAdapter({ kind: 'in-process', source, transportKind: 'ib' });
  const manager = new AsyncDataManager({
    adapter,
    store: new CsvStore({ dataDir }),
    now: () => SIM_NOW.getTime(),
    pacing: 'practical',
    maxConcurrentSegments: concurrency,
  });
  try {
    // Connect and look the contract up first: the row measures the fetch, as a user's second load.
    await adapter.validateSymbol(SYMBOL);
    await sim.resetStats();
    const started = performance.now();
    const result = await manager.loadData(parseSymbol(SYMBOL), '1m', {
      mode: 'full',
      start: toEpochMs(YEAR.start, 'start'),
      end: toEpochMs(YEAR.end, 'end'),
    });
    const wallMs = performance.now() - started;
    const stats = await sim.stats();
    // A client on the same registry shares the source's connection, so its status is the source's.
    const peek = new IbClient({ host: sim.host, port: sim.port, clientId: 5, registry });
    const pacing = peek.status().pacing;
    peek.close();
    return {
      wallMs,
      requests: stats.requestsByKind['historical-data'],
      segments: result.segments.total,
      failed: result.segments.failed,
      bars: result.frame.length,
      hardViolations: stats.pacingViolations,
      softDelayMs: stats.softDelayMs,
      throttle: { window: pacing.throttleWindow, backoffs: pacing.throttleBackoffs, maxOpen: pacing.maxOpen },
    };
  } finally {
    await adapter.close();
    await source.close();
    registry.closeAll();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface SmallRow extends Row {
  floorMs: number;
  /** The floor with the simulator's own reply-building time (see `servedFloorMs`). */
  servedFloorMs: number;
  maxOpen: number;
  /** When the last request reached the simulator, from the first one's start, and its floor. */
  lastSendMs: number;
  lastSendFloorMs: number;
}

/** Monday 24 to Friday 28 June 2024: sessions 04:00-20:00 New York (08:00-24:00 UTC), two 8-hour requests each. */
function smallBarEnds(): Date[] {
  const ends: Date[] = [];
  for (let day = 24; day <= 28; day++) {
    ends.push(new Date(Date.UTC(2024, 5, day, 16)), new Date(Date.UTC(2024, 5, day + 1, 0)));
  }
  return ends;
}

function fetchSmall(client: IbClient, end: Date) {
  return client.fetchHistoricalBars({
    symbol: SYMBOL,
    instrumentType: 'STK',
    barSize: '30 secs',
    end,
    duration: '28800 S',
    useRTH: false,
  });
}

/**
 * How long the simulator takes to build each reply of the small-bars row (its 30-second bars are
 * made from second bars: CPU work, serial in its one process): the same requests one at a time, no
 * latency, no pacing.
 */
async function smallBarReplyTimes(): Promise<number[]> {
  const sim = await SimProcess.start({
    latencyMs: 0,
    timeScale: 1,
    nowIso: SIM_NOW.toISOString(),
    pacing: 'off',
  });
  const registry = new IbConnectionRegistry();
  const client = new IbClient({
    host: sim.host,
    port: sim.port,
    clientId: 7,
    registry,
    idleCloseMs: false,
    pacing: { profile: 'off' },
  });
  try {
    await client.connect();
    await client.getContractDetails(SYMBOL, 'STK');
    const times: number[] = [];
    for (const end of smallBarEnds()) {
      const started = performance.now();
      await fetchSmall(client, end);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    registry.closeAll();
    await sim.close();
  }
}

/** The week of 30-second bars: two 8-hour requests per extended-hours session, all at once. */
async function smallBars(): Promise<SmallRow> {
  const replyMs = await smallBarReplyTimes();
  const sim = await SimProcess.start({
    latencyMs: LATENCY_MS,
    timeScale: 1,
    nowIso: SIM_NOW.toISOString(),
    pacing: 'practical',
    record: true,
  });
  const registry = new IbConnectionRegistry();
  const client = new IbClient({ host: sim.host, port: sim.port, clientId: 6, registry, idleCloseMs: false });
  const ends = smallBarEnds();
  try {
    await client.connect();
    await client.getContractDetails(SYMBOL, 'STK');
    await sim.resetStats();
    const started = performance.now();
    const startedAt = Date.now();
    const answers = await Promise.all(ends.map((end) => fetchSmall(client, end)));
    const wallMs = performance.now() - started;
    const stats = await sim.stats();
    const times = await sim.requestTimes();
    return {
      wallMs,
      lastSendMs: Math.max(...times) - startedAt,
      lastSendFloorMs: pacingFloorMs(ends.length, 1, 0),
      requests: stats.requestsByKind['historical-data'],
      segments: ends.length,
      failed: 0,
      bars: answers.reduce((sum, a) => sum + a.bars.length, 0),
      hardViolations: stats.pacingViolations,
      softDelayMs: stats.softDelayMs,
      maxOpen: client.status().pacing.maxOpen,
      floorMs: pacingFloorMs(ends.length, 1, LATENCY_MS),
      servedFloorMs: servedFloorMs(replyMs, LATENCY_MS),
    };
  } finally {
    registry.closeAll();
    await sim.close();
  }
}

/** The strict policy's plan for the same year: its segments, their floor and the scheduler's estimate. */
function strictPlan(): { segments: number; floorMs: number; oneAtATimeMs: number; plannedMs: number } {
  // The calendar the data path uses for AAPL when the contract gives no liquid hours.
  const calendar = calendarForInstrument('STK');
  const gaps = analyzeGaps([], { ...YEAR, timeframe: '1m', calendar }).gaps;
  const segments = planSegments(gaps, '1m', 'oldest_first', {
    limit: requestSpanLimit('1m', 'strict'),
    calendar,
  }).length;
  const scheduler = new PacingScheduler({ profile: 'strict' });
  const plannedMs = scheduler.estimateCompletionMs({
    count: segments,
    bucket: 'STK:AAPL@SMART/TRADES',
    concurrency: 6,
    requestMs: LATENCY_MS,
  });
  return {
    segments,
    floorMs: pacingFloorMs(segments, 1, LATENCY_MS),
    oneAtATimeMs: pacingFloorMs(segments, 1, LATENCY_MS, 1),
    plannedMs,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  console.log(
    `ib-fetch policies: ${SYMBOL} 1-minute bars for the year to ${SIM_NOW.toISOString().slice(0, 10)}, ` +
      `timeScale 1 (real speed), base latency ${LATENCY_MS} ms, ${RUNS} run(s)`,
  );
  const practical: Row[] = [];
  const oneAtATime: Row[] = [];
  const small: SmallRow[] = [];
  const describe = (r: Row) =>
    `${seconds(r.wallMs)} (${r.segments} segments, ${r.failed} failed, ${r.requests} requests, ${r.bars} bars, ` +
    `${r.hardViolations} hard violations, soft slowdown ${seconds(r.softDelayMs)} in all` +
    (r.throttle === undefined
      ? ')'
      : `; throttle window ${r.throttle.window} at the end, ${r.throttle.backoffs} backoffs, max ${r.throttle.maxOpen} open)`);
  for (let run = 0; run < RUNS; run++) {
    practical.push(await practicalLoad(6));
    console.log(`  run ${run + 1}: practical      ${describe(practical[run] as Row)}`);
    oneAtATime.push(await practicalLoad(1));
    console.log(`  run ${run + 1}: one at a time  ${describe(oneAtATime[run] as Row)}`);
  }
  // Short (seconds) and noisy on a loaded machine: several runs, each on a fresh simulator.
  for (let run = 0; run < SMALL_RUNS; run++) {
    small.push(await smallBars());
    const s = small[run] as SmallRow;
    console.log(
      `  small run ${run + 1}: 30-s bars, 1 week ${seconds(s.wallMs)} (${s.requests} requests, ${s.bars} bars, ` +
        `${s.hardViolations} violations, max ${s.maxOpen} open; floor ${seconds(s.floorMs)}, with the ` +
        `simulator's reply time ${seconds(s.servedFloorMs)}; last request sent at ${seconds(s.lastSendMs)}, ` +
        `its floor ${seconds(s.lastSendFloorMs)})`,
    );
  }
  const plan = strictPlan();
  const p = median(practical.map((r) => r.wallMs));
  const o = median(oneAtATime.map((r) => r.wallMs));
  const smallRatio = median(small.map((r) => r.wallMs / r.floorMs));
  const smallBest = Math.min(...small.map((r) => r.wallMs / r.floorMs));
  const servedRatio = median(small.map((r) => r.wallMs / r.servedFloorMs));
  const sendRatio = median(small.map((r) => r.lastSendMs / r.lastSendFloorMs));
  const violations = [...practical, ...oneAtATime, ...small].reduce((sum, r) => sum + r.hardViolations, 0);
  const failed = [...practical, ...oneAtATime].reduce((sum, r) => sum + r.failed, 0);
  console.log(`practical (default), 6 segments at once:  ${seconds(p)} (median; target <= 120 s)`);
  console.log(`practical, one segment at a time:         ${seconds(o)} (median)`);
  console.log(
    `strict, computed from its plan (not run):  floor ${seconds(plan.floorMs)} for ${plan.segments} one-day ` +
      `segments; the scheduler's plan ${seconds(plan.plannedMs)}; one at a time ${seconds(plan.oneAtATimeMs)}`,
  );
  console.log(`speed-up practical vs strict floor:       ${(plan.floorMs / p).toFixed(1)}x`);
  console.log(
    `30-second bars, one week (hard rules):    ${smallRatio.toFixed(3)}x their floor (median; best ` +
      `${smallBest.toFixed(3)}x; target <= 1.1); the last request sent at ${sendRatio.toFixed(3)}x its floor; ` +
      `${servedRatio.toFixed(3)}x the floor with the simulator's reply time`,
  );
  console.log(`hard pacing violations (all runs):        ${violations}`);
  console.log(`failed segments (all runs):               ${failed}`);
  // The small-bars target is judged on what the pacing decides (see the module comment).
  if (violations > 0 || failed > 0 || p > 120_000 || sendRatio > 1.1 || servedRatio > 1.1)
    process.exitCode = 1;
}

await main();
