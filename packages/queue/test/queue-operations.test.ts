import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOperationId } from '@ktrdr/core';
import {
  KEY_PREFIX,
  type JobRunner,
  QueueOperations,
  type QueueWorker,
  redisConnectionOptions,
  startQueueWorker,
} from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from './support/redis-server';
import { until } from './support/until';

let redis: TestRedis;
let ops: QueueOperations;
const workers: QueueWorker[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  ops = await QueueOperations.open({ url: redis.url, followPollMs: 200 });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close(true)));
});
afterAll(async () => {
  await ops?.close();
  await redis?.close();
});

/** A runner whose jobs say what to do: `{ steps }` reports progress, `{ block: true }` waits for cancel. */
function scriptedRunner(
  ranBy: Map<string, string>,
  workerName: string,
  gate?: { running: number; needed: number },
): JobRunner {
  return async (_queue, request, { operationId, signal, reportProgress, restarted }) => {
    const { steps = 1, block = false } = request as { steps?: number; block?: boolean };
    ranBy.set(operationId, workerName);
    if (gate !== undefined) {
      // The first jobs wait until as many run at once as there are workers: each worker runs one
      // at a time, so they must be on different workers.
      gate.running += 1;
      await until(() => gate.running >= gate.needed || signal.aborted);
    }
    for (let step = 1; step <= steps; step += 1) {
      reportProgress({ percentage: (100 * step) / steps, current_step: `step ${step}` });
    }
    if (block) {
      await new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error(`aborted: ${String(signal.reason)}`)), {
          once: true,
        }),
      );
    }
    return { steps, worker: workerName, restarted };
  };
}

describe('operations as BullMQ jobs on a real Redis', () => {
  it('runs 9 training jobs on 3 workers: all complete, spread over the workers', async () => {
    const ranBy = new Map<string, string>();
    const gate = { running: 0, needed: 3 };
    for (const name of ['w1', 'w2', 'w3']) {
      workers.push(
        await startQueueWorker({
          url: redis.url,
          queues: ['training'],
          runner: scriptedRunner(ranBy, name, gate),
        }),
      );
    }
    const started = [];
    for (let i = 0; i < 9; i += 1)
      started.push(await ops.enqueue('training', { steps: 3 }, { strategy_name: `s${i}` }));
    expect(
      started.every((info) => info.status === 'pending' && info.operation_id.startsWith('op_training_')),
    ).toBe(true);

    const finals = await Promise.all(started.map((info) => ops.follow(info.operation_id)));
    expect(finals.map((info) => info.status)).toEqual(Array(9).fill('completed'));
    expect(finals[0]?.result_summary).toMatchObject({ steps: 3, restarted: false });
    expect(finals[0]?.progress).toMatchObject({ percentage: 100, current_step: 'step 3' });
    expect(new Set(ranBy.values())).toEqual(new Set(['w1', 'w2', 'w3']));
    const listed = await ops.list({ type: 'training', status: 'completed' });
    expect(listed.map((info) => info.operation_id)).toEqual(
      expect.arrayContaining(started.map((info) => info.operation_id)),
    );
    expect(listed[0]?.metadata).toMatchObject({ queue: 'training' });
  });

  it('cancels a running job through its signal and removes a waiting one', async () => {
    const ranBy = new Map<string, string>();
    workers.push(
      await startQueueWorker({ url: redis.url, queues: ['data-load'], runner: scriptedRunner(ranBy, 'w') }),
    );
    const running = await ops.enqueue('data-load', { block: true }, { symbol: 'AAPL' });
    const waiting = await ops.enqueue('data-load', { steps: 1 }, { symbol: 'MSFT' });
    await until(async () => (await ops.get(running.operation_id)).status === 'running');

    const removed = await ops.cancel(waiting.operation_id, 'not needed');
    expect(removed).toMatchObject({
      status: 'cancelled',
      error_code: 'cancelled',
      error_message: 'not needed',
    });
    await ops.cancel(running.operation_id, 'stop now');
    const final = await ops.follow(running.operation_id);
    expect(final).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    expect(final.error_message).toContain('stop now');
    // The waiting one never ran, and both stay listed as cancelled.
    expect(ranBy.has(waiting.operation_id)).toBe(false);
    const cancelled = (await ops.list({ status: 'cancelled' })).map((info) => info.operation_id);
    expect(cancelled).toEqual(expect.arrayContaining([running.operation_id, waiting.operation_id]));
  });

  it('loses nothing when the API restarts mid-run: operations, progress and results', async () => {
    const ranBy = new Map<string, string>();
    workers.push(
      await startQueueWorker({ url: redis.url, queues: ['training'], runner: scriptedRunner(ranBy, 'w') }),
    );
    const done = await ops.enqueue('training', { steps: 2 });
    await ops.follow(done.operation_id);
    const blocked = await ops.enqueue('training', { steps: 4, block: true });
    await until(async () => (await ops.get(blocked.operation_id)).progress.percentage === 100);

    // The API goes away; a new one opens over the same Redis.
    await ops.close();
    ops = await QueueOperations.open({ url: redis.url, followPollMs: 200 });
    expect(await ops.get(done.operation_id)).toMatchObject({
      status: 'completed',
      result_summary: { steps: 2 },
    });
    expect(await ops.get(blocked.operation_id)).toMatchObject({
      status: 'running',
      progress: { percentage: 100, current_step: 'step 4' },
    });
    await ops.cancel(blocked.operation_id, 'test over');
    expect(await ops.follow(blocked.operation_id)).toMatchObject({ status: 'cancelled' });
  });

  it('fails a malformed job payload cleanly, with its reason on the operation', async () => {
    workers.push(
      await startQueueWorker({
        url: redis.url,
        queues: ['data-load'],
        runner: scriptedRunner(new Map(), 'w'),
      }),
    );
    const raw = new Queue('data-load', { connection: redisConnectionOptions(redis.url), prefix: KEY_PREFIX });
    const id = createOperationId('data_load');
    await raw.add('data-load', { not: 'a payload' }, { jobId: id });
    await raw.close();
    const final = await ops.follow(id);
    expect(final).toMatchObject({ status: 'failed', error_code: 'validation' });
    expect(final.error_message).toMatch(/Malformed job payload/);
  });

  it('cancels a job a worker took but had not started running yet', async () => {
    const job = await ops.enqueue('training', { steps: 1 });
    // A worker takes the job (locks it, state active) and dies before running it: BullMQ had not
    // tracked it yet, so the cancel message that goes out now reaches no processor.
    const taker = new Worker('training', null, {
      connection: redisConnectionOptions(redis.url),
      prefix: KEY_PREFIX,
      lockDuration: 500,
    });
    expect((await taker.getNextJob('taker'))?.id).toBe(job.operation_id);
    // Earlier tests' workers leased the stall check for their 30 s interval: clear the lease, so the
    // next worker checks for stalled jobs at once rather than after it.
    const direct = new Redis(redisConnectionOptions(redis.url) as RedisOptions);
    await direct.del(`${KEY_PREFIX}:training:stalled-check`);
    direct.disconnect();
    await taker.close();
    expect((await ops.get(job.operation_id)).status).toBe('running');
    await ops.cancel(job.operation_id, 'changed my mind');

    // The job is handed to a live worker once the lock expires: the cancel still wins.
    const ranBy = new Map<string, string>();
    workers.push(
      await startQueueWorker({
        url: redis.url,
        queues: ['training'],
        lockDurationMs: 500,
        runner: scriptedRunner(ranBy, 'late'),
      }),
    );
    const final = await ops.follow(job.operation_id);
    expect(final).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    expect(final.error_message).toContain('changed my mind');
    expect(ranBy.has(job.operation_id)).toBe(false);
  });

  it('reconnects the API and the workers when Redis restarts', async () => {
    const ranBy = new Map<string, string>();
    workers.push(
      await startQueueWorker({ url: redis.url, queues: ['training'], runner: scriptedRunner(ranBy, 'w') }),
    );
    await ops.follow((await ops.enqueue('training', { steps: 1 })).operation_id);
    const errors: string[] = [];
    await ops.close();
    ops = await QueueOperations.open({
      url: redis.url,
      followPollMs: 200,
      onError: (e) => errors.push(e.message),
    });
    await redis.stop(true);
    await redis.start();
    // Same objects, same connections: they come back by themselves (this Redis keeps nothing: --save '').
    const after = await ops.enqueue('training', { steps: 2 });
    expect(await ops.follow(after.operation_id)).toMatchObject({
      status: 'completed',
      result_summary: { steps: 2 },
    });
    expect(ranBy.get(after.operation_id)).toBe('w');
  });

  it('hands the job of a worker killed with kill -9 to another worker', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/queue/test/support/worker-process.ts', redis.url],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await until(() => output.includes('ready'));
      const job = await ops.enqueue('training', { steps: 1 });
      await until(async () => (await ops.get(job.operation_id)).progress.percentage === 10);
      child.kill('SIGKILL');

      // The job goes on on the other worker, told it restarted (a training resumes from its checkpoint:
      // queue-worker-resume.test.ts in the server package).
      const ranBy = new Map<string, string>();
      workers.push(
        await startQueueWorker({
          url: redis.url,
          queues: ['training'],
          lockDurationMs: 1000,
          runner: scriptedRunner(ranBy, 'survivor'),
        }),
      );
      const final = await ops.follow(job.operation_id);
      expect(final).toMatchObject({
        status: 'completed',
        result_summary: { worker: 'survivor', restarted: true },
      });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('logs a lost Redis without its socket path', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/queue/test/support/worker-process.ts', redis.url],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      await until(() => output.includes('ready'));
      await redis.stop(true);
      await until(() => errors.includes('Redis connection'));
      await redis.start();
      expect(errors).toContain('<path>');
      expect(errors).not.toContain(redis.socket);
      expect(errors).not.toMatch(/\/(tmp|home|var|run)\//);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('answers NotFoundError for an unknown operation', async () => {
    await expect(ops.get(createOperationId('training'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
