import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { openApiQueue } from '@ktrdr/client/services';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';
import { createApiRouter } from '../src/index';
import { Resources, eventually, fetchJson, postJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';
import { spawnCli } from './support/spawn-bin';

let redis: TestRedis;
const resources = new Resources();
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(() => resources.closeAll());
afterAll(() => redis?.close());

describe('ktrdr worker processes over a real Redis', () => {
  it(
    '3 worker processes run 9 trainings: all complete, spread over the workers',
    { timeout: 240_000 },
    async () => {
      const dataDir = await resources.tempDir();
      const modelsDir = await resources.tempDir();
      const data = resources.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
        d.close(),
      );
      await data.store.save('AAPL', '1h', randomWalkFrame(600), { simulated: true });
      const queue = resources.add(await openApiQueue({ redisUrl: redis.url, followPollMs: 500 }), (q) =>
        q.close(),
      );
      const app = express();
      app.use('/api/v1', createApiRouter({ data, queue }));
      const url = `${(await resources.listen(app)).url}/api/v1`;

      const workers = ['a', 'b', 'c'].map(() =>
        spawnCli(resources, [
          'worker',
          '--redis',
          redis.url,
          '--queue',
          'training',
          '--data-dir',
          dataDir,
          '--models-dir',
          modelsDir,
        ]),
      );
      await eventually(async () => {
        const listed = await fetchJson(`${url}/workers`);
        return (listed.body['data'] as unknown[]).length === 3 ? true : undefined;
      }, 120_000);

      // `ktrdr workers` shows them, through the API.
      const listing = spawnCli(resources, ['workers', '--url', url, '--format', 'json']);
      expect((await listing.exited).code).toBe(0);
      const listed = JSON.parse(listing.stdoutText()) as { queues: string[] }[];
      expect(listed.map((worker) => worker.queues)).toEqual([['training'], ['training'], ['training']]);

      const ids: string[] = [];
      for (let seed = 1; seed <= 9; seed += 1) {
        const started = await postJson(`${url}/trainings/start`, {
          strategy_name: 'neuro-fuzzy-sample',
          symbol: 'AAPL',
          timeframe: '1h',
          epochs: 1,
          seed,
        });
        expect(started.status).toBe(200);
        ids.push(started.body['operation_id'] as string);
      }
      const finals = await Promise.all(ids.map((id) => queue.operations.follow(id)));
      for (const final of finals) {
        expect(final, JSON.stringify(final)).toMatchObject({
          status: 'completed',
          operation_type: 'training',
        });
        expect(final.result_summary).toBeDefined();
        // The same metadata as in-process (the strategy's own name, its symbols...), added by the worker's run.
        expect(final.metadata).toMatchObject({
          strategy: 'neuro_fuzzy_sample',
          symbols: ['AAPL'],
          base_timeframe: '1h',
        });
      }
      const ranOn = new Set(finals.map((final) => final.metadata['worker']));
      expect(ranOn.size).toBe(3);

      // Ctrl+C (SIGTERM in the bin): each worker stops taking jobs and exits 0.
      for (const worker of workers) worker.kill('SIGTERM');
      const exits = await Promise.all(workers.map((worker) => worker.exited));
      expect(exits.map((exit) => exit.code)).toEqual([0, 0, 0]);
    },
  );
});
