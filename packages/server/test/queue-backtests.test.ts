import { cp, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { createKtrdrClient } from '@ktrdr/client';
import { openApiQueue, startKtrdrWorker } from '@ktrdr/client/services';
import { BACKTEST_BUNDLE_FILES, defaultBacktestsDir } from '@ktrdr/backtest';
import { CsvStore, DataService } from '@ktrdr/data';
import type { ApiQueue } from '@ktrdr/queue';
import { TrainingService, sampleStrategyPath } from '@ktrdr/training';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';
import { createApiRouter } from '../src/index';
import { Resources, eventually, fetchJson, postJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';
import { spawnCli } from './support/spawn-bin';

/**
 * Backtests as jobs on the `backtest` queue: the API over a real Redis enqueues them, `ktrdr worker`
 * (a real process sharing the API's folders, or an in-process one with folders of its own that hands
 * the result back) runs them, and the API lists, follows and shows them.
 */
const shared = new Resources();
const resources = new Resources();
let redis: TestRedis;
let queue: ApiQueue;
let url: string;
let root: string;
let model: string;
const BARS = 1600;
const from = Date.UTC(2023, 0, 2, 14);
const at = (i: number) => new Date(from + i * 3_600_000).toISOString();
const api = () => ({ dataDir: `${root}/api/data`, modelsDir: `${root}/api/models` });

beforeAll(async () => {
  redis = await startTestRedis();
  root = await shared.tempDir();
  const config = loadConfig(api(), {});
  await new CsvStore({ dataDir: config.dataDir }).save('AAPL', '1h', randomWalkFrame(BARS, 7, from), {
    simulated: true,
  });
  const operations = new OperationRegistry();
  const data = shared.add(new DataService({ config, operations }), (d) => d.close());
  const training = shared.add(new TrainingService({ data, operations }), (t) => t.close());
  const trained = await training.startTraining({
    strategyPath: sampleStrategyPath(),
    symbol: 'AAPL',
    timeframe: '1h',
    endDate: at(1000),
    epochs: 1,
    seed: 3,
  });
  model = (await trained.result()).model!;
  queue = shared.add(await openApiQueue({ redisUrl: redis.url, followPollMs: 200 }), (q) => q.close());
  const router = shared.add(createApiRouter({ data, operations, training, queue }), (r) => r.close());
  url = `${(await shared.listen(express().use('/api/v1', router))).url}/api/v1`;
}, 120_000);
afterEach(() => resources.closeAll());
afterAll(async () => {
  await shared.closeAll();
  await redis?.close();
});

/** Backtest operations as `GET /operations` lists them. */
async function listedBacktests(): Promise<{ operation_id: string; status: string; metadata: object }[]> {
  const listed = await fetchJson(`${url}/operations?operation_type=backtest`);
  return listed.body['data'] as { operation_id: string; status: string; metadata: object }[];
}

describe('backtests on the backtest queue', () => {
  it(
    'a ktrdr worker process sharing the folders runs it; /operations lists it, the client follows it, /backtests shows it',
    { timeout: 120_000 },
    async () => {
      const worker = spawnCli(resources, [
        'worker',
        '--redis',
        redis.url,
        '--data-dir',
        api().dataDir,
        '--models-dir',
        api().modelsDir,
      ]);
      await eventually(async () => {
        const workers = (await fetchJson(`${url}/workers`)).body['data'] as { queues: string[] }[];
        return workers.length === 1 ? workers : undefined;
      }, 60_000).then((workers) =>
        // The default set: every queue, backtests included.
        expect(workers[0]!.queues).toEqual(['training', 'data-load', 'backtest']),
      );

      await using client = await createKtrdrClient({ mode: 'remote', apiUrl: url, env: {} });
      const handle = await client.backtests.start({ model, symbol: 'AAPL', start_date: at(1200) });
      expect(handle.id).toMatch(/^op_backtest_\d{8}_\d{6}_[0-9a-f]{8}$/);
      const summary = await handle.result();
      expect(summary).toMatchObject({ model, symbol: 'AAPL', simulated: true, bars: BARS - 1200 });

      const listed = await listedBacktests();
      expect(listed.find((info) => info.operation_id === handle.id)).toMatchObject({
        status: 'completed',
        progress: { percentage: 100 },
        metadata: { model, symbol: 'AAPL', queue: 'backtest', worker: expect.any(String) },
      });
      const shown = await fetchJson(`${url}/backtests/${summary.backtest_id}?points=10`);
      expect(shown.status).toBe(200);
      expect(shown.body['data']).toMatchObject({ backtest_id: summary.backtest_id, bars: BARS - 1200 });
      const health = await fetchJson(`${url}/health`);
      expect(health.body['queues']).toMatchObject({ backtest: { completed: expect.any(Number) } });
      expect(health.body['components']).toMatchObject({ backtest: { healthy: true, mode: 'in-process' } });

      worker.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
    },
  );

  it('a worker with folders of its own fetches the bars and hands the backtest back (POST /backtests/import)', async () => {
    const own = await resources.tempDir();
    // The model only: the bars come from the API (--fetch-bars).
    await cp(api().modelsDir, `${own}/models`, { recursive: true });
    const config = loadConfig({ dataDir: `${own}/data`, modelsDir: `${own}/models` }, {});
    const worker = await startKtrdrWorker({
      redisUrl: redis.url,
      queues: ['backtest'],
      apiUrl: url,
      fetchBars: true,
      config,
      env: {},
    });
    resources.add(worker, (w) => w.close(true));

    const started = await postJson(`${url}/backtests`, { model, symbol: 'AAPL', start_date: at(1300) });
    expect(started.status).toBe(200);
    const final = await queue.operations.follow(started.body['operation_id'] as string);
    expect(final, JSON.stringify(final)).toMatchObject({ status: 'completed' });
    const id = (final.result_summary as { backtest_id: string }).backtest_id;

    // The API stores the same files as the worker kept.
    const apiDir = path.join(defaultBacktestsDir(api().modelsDir), id);
    const workerDir = path.join(defaultBacktestsDir(config.modelsDir), id);
    expect((await readdir(apiDir)).sort()).toEqual((await readdir(workerDir)).sort());
    for (const file of BACKTEST_BUNDLE_FILES) {
      expect(await readFile(path.join(apiDir, file), 'utf8')).toBe(
        await readFile(path.join(workerDir, file), 'utf8'),
      );
    }
    const shown = await fetchJson(`${url}/backtests/${id}`);
    expect(shown.body['data']).toMatchObject({ backtest_id: id, bars: BARS - 1300 });
  });

  it('a refused hand-off fails the job, naming the backtest the worker kept', async () => {
    const own = await resources.tempDir();
    await cp(path.join(root, 'api'), own, { recursive: true });
    const config = loadConfig({ dataDir: `${own}/data`, modelsDir: `${own}/models` }, {});
    // An API path that has no import route: the hand-off is answered 404.
    const worker = await startKtrdrWorker({
      redisUrl: redis.url,
      queues: ['backtest'],
      apiUrl: `${url}/elsewhere`,
      config,
      env: {},
    });
    resources.add(worker, (w) => w.close(true));
    const started = await postJson(`${url}/backtests`, { model, symbol: 'AAPL', start_date: at(1350) });
    const final = await queue.operations.follow(started.body['operation_id'] as string);
    expect(final).toMatchObject({ status: 'failed', error_code: 'not_found' });
    const kept = /kept on this worker as (bt_\w+)/.exec(final.error_message ?? '')?.[1];
    expect(kept, final.error_message).toBeDefined();
    expect(await readdir(path.join(defaultBacktestsDir(config.modelsDir), kept!))).toContain('metrics.json');
    expect((await fetchJson(`${url}/backtests/${kept}`)).status).toBe(404);
  });

  it('refuses a damaged import with 400 and stores nothing; a repeated import changes nothing', async () => {
    const { backtests } = (await fetchJson(`${url}/backtests`)).body['data'] as {
      backtests: { backtest_id: string }[];
    };
    const id = backtests[0]!.backtest_id;
    const dir = path.join(defaultBacktestsDir(api().modelsDir), id);
    const files = Object.fromEntries(
      await Promise.all(
        BACKTEST_BUNDLE_FILES.map(async (name) => [name, await readFile(path.join(dir, name), 'utf8')]),
      ),
    ) as Record<string, string>;
    const other = id.replace(/.{8}$/, '0badf00d');
    const renamed = { ...files, 'metrics.json': files['metrics.json']!.replace(id, other) };
    const refused = [
      // An equity curve cut short.
      { ...renamed, 'equity.csv': files['equity.csv']!.split('\n').slice(0, 5).join('\n') },
      // Files of another backtest.
      files,
      // Not JSON.
      { ...renamed, 'trades.json': '{"trades": [' },
    ];
    for (const bad of refused) {
      const answer = await postJson(`${url}/backtests/import`, { backtest_id: other, files: bad });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body['error']).toMatchObject({ code: 'validation' });
    }
    expect((await postJson(`${url}/backtests/import`, { backtest_id: '../x', files })).status).toBe(400);
    expect((await fetchJson(`${url}/backtests/${other}`)).status).toBe(404);

    // The same files under the new id are accepted: what was refused was the damage.
    expect((await postJson(`${url}/backtests/import`, { backtest_id: other, files: renamed })).status).toBe(
      200,
    );
    expect((await fetchJson(`${url}/backtests/${other}`)).body['data']).toMatchObject({ backtest_id: other });
    // Importing a stored id again answers it and rewrites nothing.
    const before = await readFile(path.join(dir, 'equity.csv'), 'utf8');
    const again = await postJson(`${url}/backtests/import`, {
      backtest_id: id,
      files: { ...files, 'equity.csv': files['equity.csv']!.replace(/,\d/, ',9') },
    });
    expect(again.status).toBe(200);
    expect(again.body['data']).toMatchObject({ backtest_id: id });
    expect(await readFile(path.join(dir, 'equity.csv'), 'utf8')).toBe(before);
  });

  it('cancels a waiting backtest: removed from the queue, listed as cancelled', async () => {
    const started = await postJson(`${url}/backtests`, { model, symbol: 'AAPL', start_date: at(1400) });
    const id = started.body['operation_id'] as string;
    expect(started.body['data']).toMatchObject({ status: 'pending', operation_type: 'backtest' });
    const cancelled = await fetchJson(`${url}/operations/${id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    const final = await fetchJson(`${url}/operations/${id}/wait`);
    expect(final.body['data']).toMatchObject({ status: 'cancelled' });
    expect((await listedBacktests()).find((info) => info.operation_id === id)).toMatchObject({
      status: 'cancelled',
    });
    expect(
      ((await queue.operations.depths()) as Record<string, Record<string, number>>)['backtest'],
    ).toMatchObject({ waiting: 0, active: 0 });
  });

  it('cancels a running backtest: the worker aborts it, the operation ends cancelled', async () => {
    // An API whose bars never come: the job stays running while the worker fetches them.
    const stuck = express().get('/api/v1/data/:symbol/:timeframe', () => undefined);
    const stuckUrl = `${(await resources.listen(stuck)).url}/api/v1`;
    const own = await resources.tempDir();
    const worker = await startKtrdrWorker({
      redisUrl: redis.url,
      queues: ['backtest'],
      apiUrl: stuckUrl,
      fetchBars: true,
      config: loadConfig({ dataDir: `${own}/data`, modelsDir: `${own}/models` }, {}),
      env: {},
    });
    resources.add(worker, (w) => w.close(true));
    const id = (await postJson(`${url}/backtests`, { model, symbol: 'AAPL', start_date: at(1400) })).body[
      'operation_id'
    ] as string;
    await eventually(async () => ((await queue.operations.get(id)).status === 'running' ? true : undefined));
    expect((await fetchJson(`${url}/operations/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    const final = await fetchJson(`${url}/operations/${id}/wait`);
    expect(final.body['data']).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
  });

  it('refuses a bad request with 400 before enqueueing', async () => {
    const before = (await listedBacktests()).length;
    const bad = await postJson(`${url}/backtests`, { model: '../etc', symbol: 'AAPL', start_date: at(1) });
    expect(bad.status).toBe(400);
    const noDate = await postJson(`${url}/backtests`, { model, symbol: 'AAPL' });
    expect(noDate.status).toBe(400);
    expect(await listedBacktests()).toHaveLength(before);
  });
});
