/**
 * Queue overhead: what running an operation as a BullMQ job costs over running it in-process, with
 * work that does nothing (so only the machinery is timed). A real `redis-server` on a unix socket
 * (the test harness's), the API's `QueueOperations` and one worker, all in this process.
 *
 * - in-process: `OperationRegistry.start` + `result()`, one at a time;
 * - queued, one at a time: enqueue, then follow to the end (the latency a client sees);
 * - queued, pipelined: 1,000 enqueued at once, one worker with concurrency 8 (throughput per job).
 *
 *   npx tsx bench/scale-out/run.ts [--jobs 1000]
 */
import { cpus } from 'node:os';
import { OperationRegistry } from '@ktrdr/core';
import { QueueOperations, startQueueWorker } from '@ktrdr/queue';
import { startTestRedis } from '../../packages/queue/test/support/redis-server';

const jobsIndex = process.argv.indexOf('--jobs');
const jobs = jobsIndex >= 0 ? Math.max(10, Number(process.argv[jobsIndex + 1]) || 1000) : 1000;
const sequentialJobs = Math.min(jobs, 200);

const perJob = (ms: number, n: number) => `${(ms / n).toFixed(3)} ms/job`;

async function inProcess(n: number): Promise<number> {
  // Few finished kept: the registry prunes on every start, which would otherwise grow with n.
  const registry = new OperationRegistry({ maxFinished: 10 });
  const started = performance.now();
  for (let i = 0; i < n; i += 1) await registry.start('bench', () => Promise.resolve({ i })).result();
  return performance.now() - started;
}

const redis = await startTestRedis();
const ops = await QueueOperations.open({ url: redis.url, followPollMs: 1000 });
const worker = await startQueueWorker({
  url: redis.url,
  queues: ['training'],
  concurrency: 8,
  runner: () => Promise.resolve({ ok: true }),
});
try {
  // Warm-up: connections, scripts loaded into Redis, JIT.
  for (let i = 0; i < 20; i += 1) await ops.follow((await ops.enqueue('training', {})).operation_id);
  await inProcess(200);

  const local = await inProcess(jobs);

  let started = performance.now();
  for (let i = 0; i < sequentialJobs; i += 1)
    await ops.follow((await ops.enqueue('training', { i })).operation_id);
  const sequential = performance.now() - started;

  started = performance.now();
  const ids = await Promise.all(
    Array.from({ length: jobs }, (_, i) => ops.enqueue('training', { i }).then((info) => info.operation_id)),
  );
  const queue = ops.queue('training');
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed');
    if ((counts['completed'] ?? 0) + (counts['failed'] ?? 0) >= jobs + 20 + sequentialJobs) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const pipelined = performance.now() - started;
  const failed = (await queue.getJobCounts('failed'))['failed'] ?? 0;

  console.log(
    `machine: ${process.platform} ${process.arch}, ${cpus().length} cores, Node ${process.version}`,
  );
  console.log(`in-process, one at a time (${jobs}):       ${perJob(local, jobs)}`);
  console.log(`queued, one at a time (${sequentialJobs}):          ${perJob(sequential, sequentialJobs)}`);
  console.log(`queued, pipelined (${ids.length}, concurrency 8): ${perJob(pipelined, jobs)}`);
  console.log(`failed jobs: ${failed}`);
} finally {
  await worker.close();
  await ops.close();
  await redis.close();
}
