import { afterEach, describe, expect, it } from 'vitest';
import {
  createHttpTransport,
  createServiceClient,
  loadConfig,
  operationsContract,
  type OperationInfo,
} from '@ktrdr/core';
import { CsvStore, DataService } from '@ktrdr/data';
import { startIbSimulator } from '@ktrdr/ib-sim';
import { readFile } from 'node:fs/promises';
import { ModelStore, trainingApiContract } from '@ktrdr/training';
import { Resources, eventually } from './support/harness';
import { randomWalkFrame } from './support/random-walk';
import { spawnCli, spawnServerBin } from './support/spawn-bin';
import { checkedSeriesRows } from './support/store-checks';
import { endlessStrategy } from './support/strategies';

const resources = new Resources();
afterEach(() => resources.closeAll());

/** `YYYY-MM-DD`, `days` before now (the simulator's market clock is the system clock). */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

// A fixed range (not "up to now"), so that the rerun and the clean load below ask for the same bars.
// Long enough (about 20 requests at the latency below) that the load is still running when the
// training, started after it, reports progress on a loaded machine.
const START = daysAgo(600);
const END = daysAgo(7);

/** Loads MSFT 1h over the range, in-process, into `dataDir`, from the simulator at `ib`. */
async function loadInProcess(dataDir: string, ib: { host: string; port: number }): Promise<void> {
  const data = new DataService({ config: loadConfig({ dataDir, ib }, {}) });
  try {
    await data
      .loadData({ symbol: 'MSFT', timeframe: '1h', mode: 'full', start: START, end: END })
      .then((load) => load.result());
  } finally {
    await data.close();
  }
}

describe('fault: SIGTERM to the API mid-operation', () => {
  it('ends a running load and training, keeps what was stored, exits 0, and followers fail loudly', async () => {
    const dataDir = await resources.tempDir();
    const modelsDir = await resources.tempDir();
    // Bars for the training, stored before the API starts.
    const seed = new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) });
    await seed.store.save('AAPL', '1h', randomWalkFrame(1200), { simulated: true });
    await seed.close();
    // Latency makes the load last long enough to be cut.
    const sim = resources.add(await startIbSimulator({ port: 0, latencyMs: { min: 1500, max: 2500 } }), (s) =>
      s.close(),
    );
    const api = spawnServerBin(resources, 'ktrdr-api', {
      IB_HOST: sim.host,
      IB_PORT: String(sim.port),
      KTRDR_DATA_DIR: dataDir,
      KTRDR_MODELS_DIR: modelsDir,
    });
    const url = await eventually(
      () => /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(api.output())?.[1],
      20_000,
    );

    // The CLI starts a load on the API and follows it; the SDK starts a training and follows it.
    const cli = spawnCli(resources, [
      'data',
      'load',
      'MSFT',
      '-t',
      '1h',
      '-m',
      'full',
      '--start',
      START,
      '--end',
      END,
      // One request at a time (strict pacing), so the load outlasts the start of the training.
      '--pacing',
      'strict',
      '-f',
      'json',
      '--url',
      url,
    ]);
    const transport = resources.add(createHttpTransport({ baseUrl: url, serviceName: 'ktrdr API' }), (t) =>
      t.close(),
    );
    const operations = createServiceClient(operationsContract, transport);
    const started = await createServiceClient(trainingApiContract, transport).start({
      strategy_yaml: await endlessStrategy(),
      symbol: 'AAPL',
      timeframe: '1h',
      // Far more than the test lasts: an epoch of this small model takes a millisecond or two.
      epochs: 100_000,
    });
    // A second CLI only watches the training (`operations follow`).
    const watcher = spawnCli(resources, ['operations', 'follow', started.operation_id, '--url', url]);
    const following = operations.wait({ operation_id: started.operation_id }, { timeoutMs: 60_000 }).then(
      (answer) => ({ info: answer.data as OperationInfo, error: undefined }),
      (error: unknown) => ({ info: undefined, error: error as Error }),
    );
    // Both are under way: the load has stored bars, the training reports epochs.
    const stored = await eventually(async () => {
      const rows = await checkedSeriesRows(dataDir, 'MSFT', '1h');
      return rows > 0 ? rows : undefined;
    }, 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- CLI:\n${cli.output()}\n--- API:\n${api.output().slice(-4000)}`);
    });
    await eventually(async () => {
      const { data } = await operations.get({ operation_id: started.operation_id });
      return data.status === 'running' && (data.progress.percentage ?? 0) > 0 ? true : undefined;
    }, 30_000);
    await eventually(() => (/\d+%/.test(watcher.output()) ? true : undefined), 30_000);
    const loads = (await operations.list({ operation_type: 'data_load' })).data;
    expect(loads.map((load) => load.status)).toEqual(['running']);

    api.kill('SIGTERM');

    // The API exits with its documented code for a clean shutdown, within its bound (10 s + grace;
    // it takes well under a second here). On failure the message shows the API's log.
    const exited = await Promise.race([
      api.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 25_000)),
    ]);
    expect(exited, api.output()).toEqual({ code: 0, signal: null });
    expect(api.output()).toContain('Shut down cleanly');

    // The CLI that followed the load says what happened and does not exit 0.
    const cliExit = await cli.exited;
    expect(cliExit.code).toBe(1);
    // With `-f json` the error is one JSON line (the CLI's documented convention).
    const errorLine = cli.output().trimEnd().split('\n').at(-1) ?? '';
    expect(JSON.parse(errorLine)).toMatchObject({
      error: {
        code: 'cancelled',
        message: expect.stringMatching(/^Operation op_data_load_\S+ was cancelled: Server shutting down/),
        exit_code: 1,
      },
    });
    const watcherExit = await watcher.exited;
    expect(watcherExit.code).toBe(1);
    expect(watcher.output()).toMatch(
      /^ktrdr: Operation op_training_\S+ was cancelled: Server shutting down/m,
    );
    // The SDK that followed the training ends, with a terminal state or an error: never a hang.
    const outcome = await following;
    if (outcome.error === undefined) expect(outcome.info?.status).toBe('cancelled');
    else expect(outcome.error.message).toMatch(/shut|not reachable|closed/i);

    // Nothing stored is corrupted: the bars saved before the signal are all there, the file whole.
    expect(await checkedSeriesRows(dataDir, 'MSFT', '1h')).toBeGreaterThanOrEqual(stored);
    expect(await checkedSeriesRows(dataDir, 'AAPL', '1h')).toBe(1200);
    // A rerun completes the series: the store then equals a clean single load.
    const quick = resources.add(await startIbSimulator({ port: 0 }), (s) => s.close());
    await loadInProcess(dataDir, quick);
    const clean = await resources.tempDir();
    await loadInProcess(clean, quick);
    const file = (dir: string) =>
      readFile(new CsvStore({ dataDir: dir }).pathOf('MSFT', '1h', { simulated: true }));
    expect((await file(dataDir)).equals(await file(clean))).toBe(true);
    // No half-written model looks complete.
    expect(await new ModelStore({ root: modelsDir }).list()).toEqual([]);
  }, 90_000);

  it('an API that dies at once (kill -9) under a following CLI: exit 4, not a hang', async () => {
    const dataDir = await resources.tempDir();
    const sim = resources.add(await startIbSimulator({ port: 0, latencyMs: { min: 700, max: 1000 } }), (s) =>
      s.close(),
    );
    const api = spawnServerBin(resources, 'ktrdr-api', {
      IB_HOST: sim.host,
      IB_PORT: String(sim.port),
      KTRDR_DATA_DIR: dataDir,
    });
    const url = await eventually(
      () => /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(api.output())?.[1],
      20_000,
    );
    const cli = spawnCli(resources, [
      'data',
      'load',
      'MSFT',
      '-t',
      '1h',
      '-m',
      'full',
      '--start',
      START,
      '--end',
      END,
      '--url',
      url,
    ]);
    await eventually(() => (/\[fetch\]/.test(cli.output()) ? true : undefined), 30_000);

    api.kill('SIGKILL');
    const killedAt = Date.now();

    const exited = await cli.exited;
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(exited).toEqual({ code: 4, signal: null });
    expect(cli.output()).toMatch(/^ktrdr: ktrdr API .*not reachable at http:\/\/127\.0\.0\.1:\d+\/api\/v1/m);
    // The bars stored before the API died are whole.
    await checkedSeriesRows(dataDir, 'MSFT', '1h');
  }, 60_000);
});
