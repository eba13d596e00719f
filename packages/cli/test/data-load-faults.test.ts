import { loadConfig } from '@ktrdr/core';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { startServer } from '@ktrdr/server';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectSameSeries, expectStoreSound } from '../../data/test/support/store-checks';
import { EXIT_CODES } from '../src/index';
import { Collector, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';
import { type SpawnedKtrdr, spawnKtrdr } from './support/spawn-ktrdr';

/**
 * `ktrdr data load` through faults, direct to IB, as real processes: the gateway killed, every
 * connection dropped once, SIGTERM and SIGINT mid-load (the other gateway faults, cheaper in-process,
 * are in packages/data/test/chain/load-faults.integration.test.ts). Each run must exit with its documented code and say what it kept and how to
 * resume; the store must stay sound, and running the resume command must leave exactly what a
 * clean single load stores.
 */

/**
 * Two weeks of 1-minute bars: ten one-day segments under the strict policy, whose many segments
 * these faults are aimed at (practical would fetch them in three requests).
 */
const LOAD = [
  'data',
  'load',
  'AAPL',
  '-t',
  '1m',
  '-m',
  'full',
  '--start',
  '2024-03-04',
  '--end',
  '2024-03-16',
  '--pacing',
  'strict',
];

describe('ktrdr data load through gateway faults and signals', () => {
  let simulator: IbSimulator;
  let env: Record<string, string>;
  let historical = 0;
  const folders: Awaited<ReturnType<typeof tempDir>>[] = [];
  let clean: string;

  const folder = async () => {
    const made = await tempDir();
    folders.push(made);
    return join(made.path, 'data');
  };

  beforeAll(async () => {
    // The first three historical replies come at once, the others slowly: the load is mid-way,
    // with bars stored, when the fault comes.
    ({ simulator, env } = await startSimulator({
      latencyMs: (request) => (request.kind !== 'historical-data' ? 0 : historical++ < 3 ? 5 : 1_500),
    }));
    clean = await folder();
    const run = await runKtrdr([...LOAD, '--no-progress', '--data-dir', clean], { env });
    expect(run.code).toBe(0);
  }, 60_000);
  afterEach(async () => {
    await simulator.setFaults({});
    historical = 0;
  });
  afterAll(async () => {
    await simulator.close();
    await Promise.all(folders.map((made) => made.remove()));
  });

  /** Starts the load as a process and resolves once at least one segment is stored. */
  async function loadMidway(dataDir: string): Promise<SpawnedKtrdr> {
    const run = spawnKtrdr([...LOAD, '--data-dir', dataDir], env);
    await run.waitForStderr(/\[fetch\] [1-9]\d*\/10 segments/);
    return run;
  }

  /** Checks the store, runs the printed resume command in-process, and compares with a clean load. */
  async function resumeAndCompare(run: SpawnedKtrdr, dataDir: string): Promise<void> {
    const census = await expectStoreSound(dataDir);
    expect(census[join('simulated', 'AAPL_1m.csv')]).toBeGreaterThan(0);
    const resume = /^\s+(ktrdr data load .+)$/m.exec(run.stdout())?.[1];
    expect(resume, run.stdout()).toBeDefined();
    const args = (resume as string).split(' ').slice(1);
    expect(args).toEqual(expect.arrayContaining(['-m', 'full', '--data-dir', dataDir]));
    const rerun = await runKtrdr([...args, '--no-progress'], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    await expectStoreSound(dataDir);
    await expectSameSeries(dataDir, clean);
  }

  it('the gateway killed mid-load: exit 4 within the bound, with what was kept and how to resume', async () => {
    const dataDir = await folder();
    const run = await loadMidway(dataDir);
    // As after kill -9: open sockets die, and nothing listens on the port any more.
    await simulator.setFaults({ refuseConnections: true });
    simulator.dropConnections();

    expect(await run.exited).toBe(EXIT_CODES.unavailable);
    expect(run.stderr()).toMatch(/ktrdr: AAPL 1m load stopped: .*IB.*Kept \d+ bar\(s\) in the store/);
    expect(run.stdout()).toMatch(/status\s+failed/);
    expect(run.stdout()).toMatch(/\d+ ranges? missing; bars already stored are kept/);
    await simulator.setFaults({});
    await resumeAndCompare(run, dataDir);
  }, 60_000);

  it('through the API (--url), the gateway killed mid-load ends the same way: exit 4 and the summary', async () => {
    const dataDir = await folder();
    const config = loadConfig({ ib: { host: simulator.host, port: simulator.port }, dataDir }, {});
    const server = await startServer({ kind: 'api', port: 0, config, env: {} });
    try {
      const stderr = new Collector();
      const running = runKtrdr([...LOAD, '--url', server.url], { env: {}, stderr });
      await stderr.waitFor(/\[fetch\] [1-9]\d*\/10 segments/);
      await simulator.setFaults({ refuseConnections: true });
      simulator.dropConnections();
      const run = await running;

      expect(run.code, run.stderr).toBe(EXIT_CODES.unavailable);
      expect(run.stdout).toMatch(/status\s+failed/);
      expect(run.stdout).toMatch(
        /To fetch the rest, run:\n\s+ktrdr data load AAPL -t 1m -m full --start \S+ --end \S+ --url \S+\n/,
      );
      await expectStoreSound(dataDir);
    } finally {
      await server.close();
    }
  }, 60_000);

  const recoverable: [string, (run: () => Promise<SpawnedKtrdr>) => Promise<SpawnedKtrdr>][] = [
    [
      'every connection dropped once mid-load',
      async (start) => {
        const run = await start();
        simulator.dropConnections();
        return run;
      },
    ],
  ];
  it.each(recoverable)(
    '%s: reconnects, completes and exits 0 with what a clean load stores',
    async (_, fault) => {
      const dataDir = await folder();
      const run = await fault(() => loadMidway(dataDir));

      expect(await run.exited, run.stderr()).toBe(EXIT_CODES.ok);
      expect(run.stdout()).toMatch(/segments\s+10\/10 \(0 failed\)/);
      await expectStoreSound(dataDir);
      await expectSameSeries(dataDir, clean);
    },
    60_000,
  );

  const signals: [NodeJS.Signals, number][] = [
    ['SIGTERM', EXIT_CODES.terminated],
    ['SIGINT', EXIT_CODES.interrupted],
  ];
  it.each(signals)(
    '%s mid-load stops at once, keeps what is stored and says how to resume',
    async (signal, code) => {
      const dataDir = await folder();
      const run = await loadMidway(dataDir);
      run.child.kill(signal);

      expect(await run.exited).toBe(code);
      expect(run.stdout()).toMatch(/status\s+cancelled/);
      expect(run.stdout()).toMatch(/segments\s+\d+\/10 \(\d+ not fetched\)/);
      expect(run.stderr()).toMatch(/Cancelled op_data_load_\S+: bars fetched so far were kept/);
      await resumeAndCompare(run, dataDir);
    },
    60_000,
  );
});

describe('ktrdr data load and ranges IB has no data for', () => {
  it('shows them apart from failures, skips them next time, and asks again with --refetch-empty', async () => {
    const { simulator, env } = await startSimulator();
    const made = await tempDir();
    try {
      const dataDir = join(made.path, 'data');
      simulator.addScriptedFault({
        match: { kind: 'historical-data' },
        action: {
          type: 'error',
          code: 162,
          message: 'Historical Market Data Service error message:HMDS query returned no data',
        },
        skip: 1,
        times: 1,
      });
      const load = (...extra: string[]) =>
        runKtrdr(
          [
            ...LOAD.slice(0, 10),
            '2024-03-08',
            '--pacing',
            'strict',
            '--no-progress',
            '--data-dir',
            dataDir,
            ...extra,
          ],
          {
            env,
          },
        );

      const first = await load();
      expect(first.code, first.stderr).toBe(EXIT_CODES.ok);
      expect(first.stdout).toMatch(/segments\s+3\/4 \(0 failed, 1 no data from IB\)/);
      expect(first.stdout).toMatch(
        /2024-03-05 14:30:00 UTC\s+2024-03-05 21:00:00 UTC\s+no data from IB\s+\d{4}-/,
      );
      expect(first.stdout).toContain('--refetch-empty asks now');
      expect(first.stdout).not.toContain('To fetch the rest');

      const json = await load('-f', 'json');
      const summary = (JSON.parse(json.stdout) as { result_summary: Record<string, unknown> }).result_summary;
      expect(summary).toMatchObject({
        segments: { total: 1, completed: 0, failed: 0, no_data: 1 },
        no_data_ranges: [{ start: '2024-03-05T14:30:00Z', source: 'remembered' }],
        missing_ranges: [],
      });

      const refetched = await load('--refetch-empty');
      expect(refetched.code).toBe(EXIT_CODES.ok);
      expect(refetched.stdout).toMatch(/segments\s+1\/1 \(0 failed\)/);
      await expectStoreSound(dataDir);
    } finally {
      await simulator.close();
      await made.remove();
    }
  });
});
