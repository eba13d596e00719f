import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@ktrdr/core';
import { openApiQueue, startKtrdrWorker } from '@ktrdr/client/services';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';

let redis: TestRedis;
let dir: string;
beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(path.join(tmpdir(), 'ktrdr-queue-assembly-'));
});
afterAll(async () => {
  await redis?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the queue, assembled in @ktrdr/client/services', () => {
  it('opens no queue without a Redis URL', async () => {
    expect(await openApiQueue({ env: {} })).toBeUndefined();
    expect(await openApiQueue({ redisUrl: '  ', env: {} })).toBeUndefined();
  });

  it('refuses an unknown queue and fetching bars without an API, before it connects', async () => {
    await expect(startKtrdrWorker({ redisUrl: redis.url, queues: 'training,nope' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Unknown queue nope'),
    });
    await expect(startKtrdrWorker({ redisUrl: redis.url, fetchBars: true })).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'apiUrl' },
    });
  });

  it("runs the API's jobs on a worker over its own folders, which it shows by label only", async () => {
    const queue = await openApiQueue({ env: { KTRDR_REDIS_URL: redis.url }, followPollMs: 200 });
    if (queue === undefined) throw new Error('KTRDR_REDIS_URL was set: a queue was expected');
    const config = loadConfig({ dataDir: path.join(dir, 'data'), modelsDir: path.join(dir, 'models') }, {});
    const worker = await startKtrdrWorker({ redisUrl: redis.url, queues: 'training', config, env: {} });
    try {
      expect(worker).toMatchObject({ queues: ['training'], concurrency: 1 });
      expect((await queue.operations.workers()).map((info) => info.id)).toEqual([worker.id]);
      // No bars for this symbol in the worker's store: the training fails naming its data folder.
      const started = await queue.operations.enqueue('training', {
        strategy_name: 'neuro-fuzzy-sample',
        symbol: 'NOPE',
        timeframe: '1h',
      });
      const final = await queue.operations.follow(started.operation_id);
      expect(final.status).toBe('failed');
      expect(final.metadata).toMatchObject({ worker: worker.id });
      expect(JSON.stringify(final)).not.toContain(dir);
      expect(final.error_message).toContain('<data dir>');
    } finally {
      await worker.close(true);
      await queue.close();
    }
  });
});
