import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { Redis, type RedisOptions } from 'ioredis';
import { loadConfig } from '@ktrdr/core';
import { CsvStore, DataService } from '@ktrdr/data';
import { TrainingService } from '@ktrdr/training';
import { openApiQueue } from '@ktrdr/client/services';
import { redisConnectionOptions } from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';
import { createApiRouter } from '../src/index';
import { REPO_ROOT, spawnCli } from './support/spawn-bin';
import { Resources, eventually, fetchJson, postJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';

let redis: TestRedis;
const resources = new Resources();
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(() => resources.closeAll());
afterAll(() => redis?.close());

const TOKEN = 'worker-hand-off-token';

/** An API over Redis with its own data and models folders and a token; 600 simulated AAPL 1h bars. */
async function apiWithToken() {
  const dataDir = await resources.tempDir();
  const apiModels = await resources.tempDir();
  const data = resources.add(
    new DataService({ config: loadConfig({ dataDir, modelsDir: apiModels }, {}) }),
    (d) => d.close(),
  );
  const training = resources.add(new TrainingService({ data }), (t) => t.close());
  await data.store.save('AAPL', '1h', randomWalkFrame(600), { simulated: true });
  const queue = resources.add(await openApiQueue({ redisUrl: redis.url, followPollMs: 300 }), (q) =>
    q.close(),
  );
  const app = express();
  app.use('/api/v1', createApiRouter({ data, training, queue, token: TOKEN }));
  const { url: origin } = await resources.listen(app);
  const auth = { authorization: `Bearer ${TOKEN}` };
  const waitForWorker = () =>
    eventually(async () => ((await queue.operations.workers()).length === 1 ? true : undefined), 120_000);
  return { dataDir, apiModels, queue, origin, url: `${origin}/api/v1`, auth, waitForWorker };
}

/** True when Redis holds `key`. */
async function redisKeyExists(key: string): Promise<boolean> {
  const client = new Redis(redisConnectionOptions(redis.url) as RedisOptions);
  try {
    return (await client.exists(key)) === 1;
  } finally {
    client.disconnect();
  }
}

/** The sample strategy, 2 epochs, on the API's AAPL 1h bars. */
const SMALL_TRAINING = {
  strategy_name: 'neuro-fuzzy-sample',
  symbol: 'AAPL',
  timeframe: '1h',
  epochs: 2,
  seed: 3,
};

/** The sample strategy without early stopping, so every run trains all its epochs. */
async function strategyYaml(): Promise<string> {
  const yaml = await readFile(path.join(REPO_ROOT, 'strategies/neuro-fuzzy-sample.yaml'), 'utf8');
  const trimmed = yaml.replace(/\n {4}early_stopping:\n(?: {6}.*\n)+/, '\n');
  expect(trimmed).not.toContain('early_stopping');
  return trimmed;
}

describe('a ktrdr worker killed mid-training (real Redis, real processes)', () => {
  it(
    'another worker, with its own models folder, resumes the job from its last checkpoint and ends with the uninterrupted model',
    { timeout: 240_000 },
    async () => {
      const dataDir = await resources.tempDir();
      const data = resources.add(new DataService({ config: loadConfig({ dataDir }, {}) }), (d) => d.close());
      await data.store.save('AAPL', '1h', randomWalkFrame(3000), { simulated: true });
      const queue = resources.add(await openApiQueue({ redisUrl: redis.url, followPollMs: 300 }), (q) =>
        q.close(),
      );
      const app = express();
      app.use('/api/v1', createApiRouter({ data, queue }));
      const url = `${(await resources.listen(app)).url}/api/v1`;
      // Each worker its own models folder (machines that share none): the checkpoint goes through Redis.
      const worker = (modelsDir: string) =>
        spawnCli(resources, [
          'worker',
          '--redis',
          redis.url,
          '--queue',
          'training',
          '--lock-duration',
          '3000',
          '--data-dir',
          dataDir,
          '--models-dir',
          modelsDir,
        ]);
      const workerCount = async () => {
        const listed = await queue.operations.workers();
        return listed.length;
      };
      const request = {
        strategy_yaml: await strategyYaml(),
        symbol: 'AAPL',
        timeframe: '1h',
        epochs: 40,
        seed: 11,
      };

      const doomedModels = await resources.tempDir();
      const survivorModels = await resources.tempDir();
      const doomed = worker(doomedModels);
      await eventually(async () => ((await workerCount()) === 1 ? true : undefined), 120_000);
      const started = await postJson(`${url}/trainings/start`, request);
      expect(started.status).toBe(200);
      const id = started.body['operation_id'] as string;
      // The checkpoint, named by the operation id, is in the doomed worker's folder and in Redis.
      const checkpoint = path.join(doomedModels, '.checkpoints', id, 'checkpoint.json');
      await eventually(async () => (existsSync(checkpoint) ? true : undefined), 120_000);
      await eventually(
        async () => ((await redisKeyExists(`ktrdr:checkpoint:${id}`)) ? true : undefined),
        120_000,
      );
      doomed.kill('SIGKILL');
      expect((await doomed.exited).signal).toBe('SIGKILL');
      expect((await queue.operations.get(id)).status).toBe('running');

      // A second worker: the killed one's lock expires, the job is handed on and resumes.
      worker(survivorModels);
      const resumed = await queue.operations.follow(id);
      expect(resumed, JSON.stringify(resumed)).toMatchObject({ status: 'completed' });
      const summary = resumed.result_summary ?? {};
      expect(summary['resumed_from_epoch']).toBeGreaterThan(0);
      expect(summary['resumed_from_epoch']).toBeLessThan(40);

      // The same request again, uninterrupted (a new operation id: no checkpoint to resume).
      const again = await postJson(`${url}/trainings/start`, request);
      const reference = await queue.operations.follow(again.body['operation_id'] as string);
      expect(reference).toMatchObject({ status: 'completed', result_summary: { resumed_from_epoch: null } });
      // The same epochs (early stopping included), the same test metrics.
      expect(summary['epochs_run']).toBe(reference.result_summary?.['epochs_run']);
      expect(summary['test']).toEqual(reference.result_summary?.['test']);

      // cpu-fused is bit-identical across a resume: the same weights, byte for byte.
      const weights = (name: unknown) => readFile(path.join(survivorModels, String(name), 'weights.bin'));
      expect(summary['model']).not.toBe(reference.result_summary?.['model']);
      expect(
        (await weights(summary['model'])).equals(await weights(reference.result_summary?.['model'])),
      ).toBe(true);
    },
  );

  it(
    "a worker without the API's folders copies the bars from the API and hands the model back to its store",
    { timeout: 240_000 },
    async () => {
      const { apiModels, queue, origin, url, auth, waitForWorker } = await apiWithToken();
      const workerData = await resources.tempDir();
      const workerModels = await resources.tempDir();

      spawnCli(
        resources,
        [
          'worker',
          '--redis',
          redis.url,
          '--queue',
          'training',
          '--api',
          origin,
          '--fetch-bars',
          '--data-dir',
          workerData,
          '--models-dir',
          workerModels,
        ],
        { KTRDR_API_TOKEN: TOKEN },
      );
      await waitForWorker();
      const started = await postJson(`${url}/trainings/start`, SMALL_TRAINING, auth);
      expect(started.status).toBe(200);
      const final = await queue.operations.follow(started.body['operation_id'] as string);
      expect(final, JSON.stringify(final)).toMatchObject({
        status: 'completed',
        result_summary: {
          model: 'neuro_fuzzy_sample/AAPL_1h_v1',
          worker_model: 'neuro_fuzzy_sample/AAPL_1h_v1',
        },
      });
      // The worker trained on the API's bars, copied into its own store (still labelled simulated).
      const copied = await new CsvStore({ dataDir: workerData }).load('AAPL', '1h', { simulated: true });
      expect(copied.frame.length).toBe(600);
      // The API stores it (and lists it), the worker keeps its own copy: two folders, one model each.
      const listed = await fetchJson(`${url}/models`, { headers: auth });
      expect((listed.body['data'] as { name: string }[]).map((model) => model.name)).toEqual([
        'neuro_fuzzy_sample/AAPL_1h_v1',
      ]);
      const files = ['weights.bin', 'model.onnx'];
      for (const file of files) {
        const [ours, theirs] = await Promise.all([
          readFile(path.join(apiModels, 'neuro_fuzzy_sample/AAPL_1h_v1', file)),
          readFile(path.join(workerModels, 'neuro_fuzzy_sample/AAPL_1h_v1', file)),
        ]);
        expect(ours.equals(theirs), file).toBe(true);
      }
      // The API can use it: a prediction from the API's own store.
      const predicted = await postJson(
        `${url}/models/predict`,
        { model_name: 'neuro_fuzzy_sample/AAPL_1h', symbol: 'AAPL', bars: 2 },
        auth,
      );
      expect(predicted.status, JSON.stringify(predicted.body)).toBe(200);
    },
  );

  it('a refused hand-off fails the job, naming the model the worker kept', { timeout: 240_000 }, async () => {
    const { dataDir, apiModels, queue, origin, url, auth, waitForWorker } = await apiWithToken();
    const workerModels = await resources.tempDir();
    spawnCli(
      resources,
      ['worker', '--redis', redis.url, '--queue', 'training', '--api', origin],
      // The data folder is shared here; the token is not the API's.
      { KTRDR_API_TOKEN: 'not-the-token', KTRDR_DATA_DIR: dataDir, KTRDR_MODELS_DIR: workerModels },
    );
    await waitForWorker();
    const started = await postJson(`${url}/trainings/start`, SMALL_TRAINING, auth);
    const final = await queue.operations.follow(started.body['operation_id'] as string);
    expect(final).toMatchObject({ status: 'failed', error_code: 'unauthorized' });
    expect(final.error_message).toContain('kept on this worker as neuro_fuzzy_sample/AAPL_1h_v1');
    expect(existsSync(path.join(workerModels, 'neuro_fuzzy_sample/AAPL_1h_v1', 'model.onnx'))).toBe(true);
    expect(existsSync(path.join(apiModels, 'neuro_fuzzy_sample'))).toBe(false);
  });
});
