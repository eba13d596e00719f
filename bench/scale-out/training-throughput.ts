/**
 * Training throughput over the queue, 2 `ktrdr worker` processes vs 1 (target >= 1.8x the jobs per
 * minute). Each pool of workers has its own real `redis-server` (the queue tests' harness), so both
 * stay up, warmed, side by side, and the rounds are paired: each round runs the same batch of jobs
 * on 1 worker and on 2, back to back, the order alternating between rounds so a machine that gets
 * busier or quieter favours neither. Figures are medians over the rounds, and the ratio's median is
 * of the per-round ratios.
 *
 * Every worker runs one training at a time in one trainer thread (`KTRDR_TRAINING_CONCURRENCY=1`,
 * `OMP_NUM_THREADS=1`), and with `taskset` (Linux, the default when there are 2 cores or more) is
 * pinned to one core of its own: worker i on core i, so the single worker and the pair's first
 * worker share core 0. The jobs are the sample strategy on 3,000 simulated hourly bars over one
 * shared data and models folder; a batch is timed from its first enqueue to its last completion,
 * after one warm-up job per worker (a worker loads the training stack on its first job).
 *
 *   npx tsx bench/scale-out/training-throughput.ts [--jobs 6] [--epochs 40] [--rounds 5] [--no-pin]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { QueueOperations } from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from '../../packages/queue/test/support/redis-server';
import { randomWalkFrame } from '../../packages/server/test/support/random-walk';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const jobs = arg('--jobs', 6);
const epochs = arg('--epochs', 40);
const rounds = arg('--rounds', 5);
const cores = availableParallelism();
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const pin = !process.argv.includes('--no-pin') && hasTaskset && cores >= 2;
const root = fileURLToPath(new URL('../../', import.meta.url));

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

const dir = await mkdtemp(path.join(tmpdir(), 'ktrdr-bench-scale-'));
const dataDir = path.join(dir, 'data');
const modelsDir = path.join(dir, 'models');
const data = new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) });
await data.store.save('AAPL', '1h', randomWalkFrame(3000), { simulated: true });
await data.close();

/** `count` worker processes on their own Redis. */
interface Pool {
  count: number;
  redis: TestRedis;
  ops: QueueOperations;
  workers: ChildProcess[];
}

function startWorker(redisUrl: string, core: number): ChildProcess {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KTRDR_'))),
    KTRDR_TRAINING_CONCURRENCY: '1',
    OMP_NUM_THREADS: '1',
  };
  const node = [
    process.execPath,
    '--import',
    'tsx',
    'packages/cli/src/bin/ktrdr.ts',
    'worker',
    '--redis',
    redisUrl,
    '--queue',
    'training',
    '--data-dir',
    dataDir,
    '--models-dir',
    modelsDir,
  ];
  const [command, ...args] = pin ? ['taskset', '-c', String(core % cores), ...node] : node;
  return spawn(command as string, args, { cwd: root, env, stdio: 'ignore' });
}

async function runBatch(pool: Pool, count: number, seed0: number): Promise<number> {
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
    ids.push((await pool.ops.enqueue('training', request, {})).operation_id);
  }
  const finals = await Promise.all(ids.map((id) => pool.ops.follow(id)));
  const failed = finals.filter((info) => info.status !== 'completed');
  if (failed.length > 0) throw new Error(`failed jobs: ${JSON.stringify(failed[0])}`);
  return performance.now() - started;
}

async function startPool(count: number): Promise<Pool> {
  const redis = await startTestRedis();
  const ops = await QueueOperations.open({ url: redis.url, followPollMs: 200 });
  const workers = Array.from({ length: count }, (_, core) => startWorker(redis.url, core));
  const pool = { count, redis, ops, workers };
  while ((await ops.workers()).length < count) await new Promise((resolve) => setTimeout(resolve, 200));
  await runBatch(pool, count, 1000); // warm-up: one job per idle worker
  return pool;
}

async function closePool(pool: Pool | undefined): Promise<void> {
  if (pool === undefined) return;
  for (const worker of pool.workers) worker.kill('SIGTERM');
  await Promise.all(pool.workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
  await pool.ops.close();
  await pool.redis.close();
}

let one: Pool | undefined;
let two: Pool | undefined;
try {
  console.log(
    `cores: ${cores}, pinned: ${pin ? 'yes (taskset, worker i on core i)' : 'no'}, ` +
      `load average before: ${loadavg()[0]?.toFixed(2)}`,
  );
  console.log(`jobs per batch: ${jobs}, epochs: ${epochs}, rounds: ${rounds} (paired, order alternating)`);
  one = await startPool(1);
  two = await startPool(2);
  const times = { 1: [] as number[], 2: [] as number[] };
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [one, two] : [two, one];
    for (const pool of order) times[pool.count as 1 | 2].push(await runBatch(pool, jobs, 1 + round * jobs));
    const a = times[1][round] ?? NaN;
    const b = times[2][round] ?? NaN;
    ratios.push(a / b);
    console.log(
      `round ${round + 1} (${order.map((pool) => pool.count).join(' then ')}, load ${loadavg()[0]?.toFixed(2)}): ` +
        `1 worker ${(a / 1000).toFixed(1)} s, 2 workers ${(b / 1000).toFixed(1)} s: ${(a / b).toFixed(2)}x`,
    );
  }
  const perMinute = (ms: number) => (jobs / ms) * 60_000;
  const ratio = median(ratios);
  console.log(
    `median: 1 worker ${perMinute(median(times[1])).toFixed(1)} jobs/min, ` +
      `2 workers ${perMinute(median(times[2])).toFixed(1)} jobs/min; ` +
      `ratio ${ratio.toFixed(2)}x (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x); ` +
      `target >= 1.8x: ${ratio >= 1.8 ? 'met' : 'not met'}`,
  );
  console.log(`load average after: ${loadavg()[0]?.toFixed(2)}`);
} finally {
  await closePool(one);
  await closePool(two);
  await rm(dir, { recursive: true, force: true });
}
