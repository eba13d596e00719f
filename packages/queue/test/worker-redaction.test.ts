import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@ktrdr/core';
import {
  KEY_PREFIX,
  type JobRunner,
  QueueOperations,
  type QueueWorker,
  redisConnectionOptions,
  startQueueWorker,
} from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from './support/redis-server';

let redis: TestRedis;
let ops: QueueOperations;
let worker: QueueWorker;

/** A worker machine's folders: what must not reach Redis, nor the API's answers. */
const DATA_DIR = '/srv/worker-7/ktrdr/data';
const MODELS_DIR = '/srv/worker-7/ktrdr/models';

/** Reports and returns (or fails with) texts naming the worker's folders and another absolute path. */
const leakyRunner: JobRunner = async (_queue, request, { reportProgress, reportMetadata }) => {
  reportMetadata?.({ strategy_file: '/home/alice/strategies/mine.yaml', symbols: ['AAPL'] });
  reportProgress({
    percentage: 50,
    current_step: `Reading ${DATA_DIR}/AAPL_1h.csv`,
    context: { files: [`${MODELS_DIR}/.checkpoints/x/checkpoint.json`] },
  });
  if ((request as { fail?: boolean }).fail === true) {
    throw new ValidationError(`No bars in ${DATA_DIR}/AAPL_1h.csv\n    at load (/usr/lib/ktrdr/x.js:1:2)`);
  }
  return {
    model: 'neuro_fuzzy_sample/AAPL_1h_v1',
    model_path: `${MODELS_DIR}/neuro_fuzzy_sample/AAPL_1h_v1`,
  };
};

beforeAll(async () => {
  redis = await startTestRedis();
  ops = await QueueOperations.open({ url: redis.url, followPollMs: 200 });
  worker = await startQueueWorker({
    url: redis.url,
    queues: ['training'],
    runner: leakyRunner,
    folders: [
      { label: 'data dir', path: DATA_DIR },
      { label: 'models dir', path: MODELS_DIR },
    ],
  });
});
afterAll(async () => {
  await worker?.close(true);
  await ops?.close();
  await redis?.close();
});

/** Everything Redis holds for job `id` (its hash: data, progress, result, failedReason), as text. */
async function storedJob(id: string): Promise<string> {
  const direct = new Redis(redisConnectionOptions(redis.url) as RedisOptions);
  try {
    return JSON.stringify(await direct.hgetall(`${KEY_PREFIX}:training:${id}`));
  } finally {
    direct.disconnect();
  }
}

describe('a worker stores no path of its machine in Redis', () => {
  it('redacts progress, metadata and the result of a completed job', async () => {
    const { operation_id: id } = await ops.enqueue('training', {});
    const final = await ops.follow(id);
    expect(final).toMatchObject({
      status: 'completed',
      progress: { current_step: 'Reading <data dir>/AAPL_1h.csv' },
      metadata: { strategy_file: '<path>', symbols: ['AAPL'] },
      result_summary: {
        model: 'neuro_fuzzy_sample/AAPL_1h_v1',
        model_path: '<models dir>/neuro_fuzzy_sample/AAPL_1h_v1',
      },
    });
    expect(final.progress.context).toEqual({ files: ['<models dir>/.checkpoints/x/checkpoint.json'] });
    const stored = await storedJob(id);
    expect(stored).toContain('<data dir>');
    expect(stored).not.toMatch(/\/srv\/|\/home\//);
  });

  it("redacts a failed job's reason and its last progress step", async () => {
    const { operation_id: id } = await ops.enqueue('training', { fail: true });
    const final = await ops.follow(id);
    expect(final).toMatchObject({
      status: 'failed',
      error_code: 'validation',
      error_message: 'No bars in <data dir>/AAPL_1h.csv',
      progress: { current_step: 'Reading <data dir>/AAPL_1h.csv' },
    });
    expect(await storedJob(id)).not.toMatch(/\/srv\/|\/home\/|\/usr\//);
  });
});
