import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { pacingLedgerPath } from '../../src/ib/pacing-ledger';
import { Closer, simulator, tempDir } from './chain-fixtures';
import type { LoadProcessArgs } from './fixtures/load-process';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const LOAD_PROCESS = fileURLToPath(new URL('./fixtures/load-process.ts', import.meta.url));
/** The 10-minute window lasts 30 s, the 2-second one 100 ms. */
const TIME_SCALE = 20;

const closer = new Closer();
afterEach(() => closer.closeAll());

/**
 * Four loads of one contract (AAPL, TRADES: one bucket of IB's "5 per 2 s" rule), each of about
 * eight requests. Different timeframes keep them in different files: this test is about pacing.
 */
const LOADS: ReadonlyArray<Pick<LoadProcessArgs, 'timeframe' | 'start' | 'end'>> = [
  { timeframe: '1m', start: '2024-03-04', end: '2024-03-14' },
  { timeframe: '5m', start: '2024-01-02', end: '2024-02-27' },
  { timeframe: '15m', start: '2023-10-02', end: '2024-01-22' },
  { timeframe: '1h', start: '2023-06-01', end: '2024-01-26' },
];

interface Outcome {
  code: number;
  summary: { segments: { total: number; completed: number; failed: number }; bars: number } | undefined;
  stderr: string;
}

/** Starts one load process per entry of {@link LOADS}, lets them all go at once, and waits for each. */
async function runLoads(sim: IbSimulator, dataDir: string, ledger: boolean): Promise<Outcome[]> {
  const children = LOADS.map((load, i) => {
    const args: LoadProcessArgs = {
      host: sim.host,
      port: sim.port,
      clientId: 11 + i,
      dataDir,
      symbol: 'AAPL',
      timeScale: TIME_SCALE,
      ledger,
      ...load,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_PROCESS, JSON.stringify(args)], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    closer.add(child, (c) => c.exitCode === null && c.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n')) markReady();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<Outcome>((resolve) =>
      child.on('exit', (code) => {
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        resolve({ code: code ?? 1, summary: line === undefined ? undefined : JSON.parse(line), stderr });
      }),
    );
    return { child, ready: Promise.race([ready, exited]), exited };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const { child } of children) child.stdin.end('go\n');
  return Promise.all(children.map((c) => c.exited));
}

describe('parallel load processes on one gateway', () => {
  it('break no pacing rule: they share one pacing ledger under the data folder', async () => {
    const sim = await simulator(closer, {
      pacing: 'strict',
      durationLimits: 'practical',
      timeScale: TIME_SCALE,
      latencyMs: { min: 20, max: 80 },
    });
    const dataDir = join(await tempDir(closer), 'data');
    const outcomes = await runLoads(sim, dataDir, true);

    for (const outcome of outcomes) {
      expect(outcome.stderr).toBe('');
      expect(outcome.code).toBe(0);
      expect(outcome.summary?.segments.failed).toBe(0);
      expect(outcome.summary?.segments.completed).toBe(outcome.summary?.segments.total);
      expect(outcome.summary?.bars).toBeGreaterThan(0);
    }
    expect(sim.stats.requestsByKind['historical-data']).toBeGreaterThanOrEqual(20);
    expect(sim.stats.violationsByRule).toEqual({
      'identical-request': 0,
      'same-contract-burst': 0,
      'rate-limit': 0,
      'open-requests': 0,
    });
    // Every process recorded its sends in the one ledger of this gateway.
    const ledger = await readFile(pacingLedgerPath(dataDir, sim.host, sim.port), 'utf8');
    const owners = new Set(
      ledger
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { o: string }).o),
    );
    expect(owners.size).toBe(LOADS.length);
  }, 90_000);

  it('without the ledger, the same processes break the 2-second rule (the defect it fixes)', async () => {
    const sim = await simulator(closer, {
      pacing: 'strict',
      durationLimits: 'practical',
      timeScale: TIME_SCALE,
      latencyMs: { min: 20, max: 80 },
    });
    const dataDir = join(await tempDir(closer), 'data');
    await runLoads(sim, dataDir, false);
    expect(sim.stats.violationsByRule['same-contract-burst']).toBeGreaterThan(0);
  }, 90_000);
});
