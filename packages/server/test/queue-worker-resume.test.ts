import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { openApiQueue } from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';
import { createApiRouter } from '../src/index';
import { REPO_ROOT, spawnCli } from './support/spawn-bin';
import { Resources, eventually, postJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';

let redis: TestRedis;
const resources = new Resources();
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(() => resources.closeAll());
afterAll(() => redis?.close());

/** The sample strategy without early stopping, so every run trains all its epochs. */
async function strategyYaml(): Promise<string> {
  const yaml = await readFile(path.join(REPO_ROOT, 'strategies/neuro-fuzzy-sample.yaml'), 'utf8');
  const trimmed = yaml.replace(/\n {4}early_stopping:\n(?: {6}.*\n)+/, '\n');
  expect(trimmed).not.toContain('early_stopping');
  return trimmed;
}

describe('a ktrdr worker killed mid-training (real Redis, real processes)', () => {
  it(
    'another worker resumes the job from its last checkpoint and ends with the uninterrupted model',
    { timeout: 240_000 },
    async () => {
      const dataDir = await resources.tempDir();
      const modelsDir = await resources.tempDir();
      const data = resources.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
        d.close(),
      );
      await data.store.save('AAPL', '1h', randomWalkFrame(3000), { simulated: true });
      const queue = resources.add(await openApiQueue({ url: redis.url, followPollMs: 300 }), (q) =>
        q.close(),
      );
      const app = express();
      app.use('/api/v1', createApiRouter({ data, queue }));
      const url = `${(await resources.listen(app)).url}/api/v1`;
      const worker = () =>
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

      const doomed = worker();
      await eventually(async () => ((await workerCount()) === 1 ? true : undefined), 120_000);
      const started = await postJson(`${url}/trainings/start`, request);
      expect(started.status).toBe(200);
      const id = started.body['operation_id'] as string;
      // The checkpoint lives in the shared models folder, named by the operation id.
      const checkpoint = path.join(modelsDir, '.checkpoints', id, 'checkpoint.json');
      await eventually(async () => (existsSync(checkpoint) ? true : undefined), 120_000);
      doomed.kill('SIGKILL');
      expect((await doomed.exited).signal).toBe('SIGKILL');
      expect((await queue.operations.get(id)).status).toBe('running');

      // A second worker: the killed one's lock expires, the job is handed on and resumes.
      worker();
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
      const weights = (name: unknown) => readFile(path.join(modelsDir, String(name), 'weights.bin'));
      expect(summary['model']).not.toBe(reference.result_summary?.['model']);
      expect(
        (await weights(summary['model'])).equals(await weights(reference.result_summary?.['model'])),
      ).toBe(true);
    },
  );
});
