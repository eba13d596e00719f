import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, checkpointDir, deserializeCheckpoint } from '@ktrdr/training';
import {
  KEY_PREFIX,
  type JobRunner,
  QueueOperations,
  type QueueWorker,
  redisConnectionOptions,
  startQueueWorker,
} from '@ktrdr/queue';
import { fakeCheckpoint } from './support/fake-checkpoint';
import { type TestRedis, startTestRedis } from './support/redis-server';
import { until } from './support/until';

let redis: TestRedis;
let direct: Redis;
let ops: QueueOperations;
let dir: string;
const workers: QueueWorker[] = [];
beforeAll(async () => {
  redis = await startTestRedis();
  direct = new Redis(redisConnectionOptions(redis.url) as RedisOptions);
  ops = await QueueOperations.open({ url: redis.url, followPollMs: 200 });
  dir = await mkdtemp(path.join(tmpdir(), 'ktrdr-relay-'));
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close(true)));
});
afterAll(async () => {
  await ops?.close();
  direct?.disconnect();
  await redis?.close();
  await rm(dir, { recursive: true, force: true });
});

const checkpointKey = (id: string) => `${KEY_PREFIX}:checkpoint:${id}`;

/** A training runner that answers with the epoch of the checkpoint its models folder holds (-1: none). */
const reportsCheckpoint =
  (modelsDir: string): JobRunner =>
  async (_queue, _request, { operationId, restarted }) => {
    const file = path.join(checkpointDir(modelsDir, operationId), CHECKPOINT_FILE);
    const epoch = await readFile(file).then(
      (bytes) => deserializeCheckpoint(bytes).epoch,
      () => -1,
    );
    return { resumes_from_epoch: epoch, restarted };
  };

describe('training checkpoints through Redis, for workers with separate models folders', () => {
  it('a worker killed with kill -9 mid-job: the next one, with its own folder, gets its last checkpoint', async () => {
    const doomedModels = path.join(dir, 'doomed');
    const survivorModels = path.join(dir, 'survivor');
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/queue/test/support/checkpointing-worker.ts', redis.url, doomedModels],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await until(() => output.includes('ready'));
      const { operation_id: id } = await ops.enqueue('training', {});
      // The checkpoint reached Redis: then the worker dies.
      await until(async () => (await direct.exists(checkpointKey(id))) === 1);
      child.kill('SIGKILL');

      workers.push(
        await startQueueWorker({
          url: redis.url,
          queues: ['training'],
          lockDurationMs: 1000,
          checkpoints: { modelsDir: survivorModels },
          runner: reportsCheckpoint(survivorModels),
        }),
      );
      const final = await ops.follow(id);
      expect(final).toMatchObject({
        status: 'completed',
        result_summary: { resumes_from_epoch: 3, restarted: true },
      });
      // The job ended: its checkpoint leaves Redis.
      expect(await direct.exists(checkpointKey(id))).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('keeps a newer local checkpoint, and relays none over the size cap', async () => {
    const modelsDir = path.join(dir, 'capped');
    const warnings: string[] = [];
    const stderr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (
      warnings.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    try {
      let uploaded = false;
      workers.push(
        await startQueueWorker({
          url: redis.url,
          queues: ['training'],
          checkpoints: { modelsDir, maxBytes: 200, pollMs: 20 },
          runner: async (_queue, _request, { operationId }) => {
            const folder = checkpointDir(modelsDir, operationId);
            await mkdir(folder, { recursive: true });
            await writeFile(path.join(folder, CHECKPOINT_FILE), fakeCheckpoint(2, 1000));
            await until(() => warnings.some((line) => line.includes(operationId)));
            uploaded = (await direct.exists(checkpointKey(operationId))) === 1;
            return {};
          },
        }),
      );
      const { operation_id: id } = await ops.enqueue('training', {});
      expect((await ops.follow(id)).status).toBe('completed');
      expect(uploaded).toBe(false);
      expect(warnings.join('')).toMatch(/over the 200 relayed through Redis/);
    } finally {
      process.stderr.write = stderr;
    }

    // A checkpoint in Redis older than the worker's own is not written over it.
    await Promise.all(workers.splice(0).map((worker) => worker.close(true)));
    const { operation_id: id } = await ops.enqueue('training', {});
    await direct.hset(checkpointKey(id), 'epoch', '1', 'data', fakeCheckpoint(1));
    const own = path.join(checkpointDir(modelsDir, id), CHECKPOINT_FILE);
    await mkdir(path.dirname(own), { recursive: true });
    await writeFile(own, fakeCheckpoint(5));
    workers.push(
      await startQueueWorker({
        url: redis.url,
        queues: ['training'],
        checkpoints: { modelsDir },
        runner: reportsCheckpoint(modelsDir),
      }),
    );
    expect((await ops.follow(id)).result_summary).toMatchObject({ resumes_from_epoch: 5 });
  });
});
