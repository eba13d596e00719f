/**
 * Training throughput over the queue: the same batch of training jobs run by 1 `ktrdr worker`
 * process, then by 2, on a real `redis-server` (the queue tests' harness). Each worker is a real
 * process (`node --import tsx packages/cli/src/bin/ktrdr.ts worker`) over one shared data and
 * models folder; the jobs are the sample strategy on 3,000 simulated hourly bars. Timed from the
 * first enqueue to the last completion, after a warm-up job per worker (the training stack loads on
 * a worker's first job). Target: 2 workers >= 1.8x the jobs per minute of 1.
 *
 *   npx tsx bench/scale-out/training-throughput.ts [--jobs 6] [--epochs 8] [--rounds 1]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { QueueOperations } from '@ktrdr/queue';
import { startTestRedis } from '../../packages/queue/test/support/redis-server';
import { randomWalkFrame } from '../../packages/server/test/support/random-walk';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const jobs = arg('--jobs', 6);
const epochs = arg('--epochs', 8);
const rounds = arg('--rounds', 1);
const root = fileURLToPath(new URL('../../', import.meta.url));

const redis = await startTestRedis();
const dir = await mkdtemp(path.join(tmpdir(), 'ktrdr-bench-scale-'));
const dataDir = path.join(dir, 'data');
const modelsDir = path.join(dir, 'models');
const data = new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) });
await data.store.save('AAPL', '1h', randomWalkFrame(3000), { simulated: true });
await data.close();
const ops = await QueueOperations.open({ url: redis.url, followPollMs: 500 });

function startWorker(): ChildProcess {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KTRDR_')));
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/cli/src/bin/ktrdr.ts',
      'worker',
      '--redis',
      redis.url,
      '--queue',
      'training',
      '--data-dir',
      dataDir,
      '--models-dir',
      modelsDir,
    ],
    { cwd: root, env, stdio: 'ignore' },
  );
}

async function runBatch(count: number, seed0: number): Promise<number> {
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const request = {
      strategy_name: 'neuro-fuzzy-sample',
      symbol: 'AAPL',
      timeframe: '1h',
      epochs,
      seed: seed0 + i,
    };
    ids.push((await ops.enqueue('training', request, {})).operation_id);
  }
  const finals = await Promise.all(ids.map((id) => ops.follow(id)));
  const failed = finals.filter((info) => info.status !== 'completed');
  if (failed.length > 0) throw new Error(`failed jobs: ${JSON.stringify(failed[0])}`);
  return performance.now() - started;
}

async function measure(workerCount: number): Promise<number[]> {
  const workers = Array.from({ length: workerCount }, startWorker);
  try {
    while ((await ops.workers()).length < workerCount) await new Promise((r) => setTimeout(r, 200));
    await runBatch(workerCount, 1000); // warm-up: one job per idle worker
    const times: number[] = [];
    for (let round = 0; round < rounds; round += 1) times.push(await runBatch(jobs, 1 + round * jobs));
    return times;
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((r) => worker.once('exit', r))));
  }
}

try {
  console.log(`cores: ${cpus().length}, load average before: ${loadavg()[0]?.toFixed(2)}`);
  console.log(`jobs per batch: ${jobs}, epochs: ${epochs}, rounds: ${rounds}`);
  const one = await measure(1);
  const two = await measure(2);
  const perMinute = (ms: number) => (jobs / ms) * 60_000;
  for (let round = 0; round < rounds; round += 1) {
    const a = one[round] ?? Number.NaN;
    const b = two[round] ?? Number.NaN;
    console.log(
      `round ${round + 1}: 1 worker ${(a / 1000).toFixed(1)} s (${perMinute(a).toFixed(1)} jobs/min), ` +
        `2 workers ${(b / 1000).toFixed(1)} s (${perMinute(b).toFixed(1)} jobs/min): ${(a / b).toFixed(2)}x`,
    );
  }
  console.log(`load average after: ${loadavg()[0]?.toFixed(2)}`);
} finally {
  await ops.close();
  await redis.close();
  await rm(dir, { recursive: true, force: true });
}
