/**
 * API load benchmark: N concurrent clients against the backend API started by `startServer` in a
 * child process (loopback only), on a store pre-filled with 5,000 hourly AAPL bars. Scenarios take
 * turns in short rounds so a load spike on a shared machine hits each alike; figures are medians
 * over rounds. The server's memory is read after a full GC before the first round and after the
 * last, so growth means memory kept, not garbage not yet collected.
 *
 *   npx tsx bench/api-load/run.ts [--clients 32] [--seconds 3] [--rounds 5]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BarFrame, CsvStore } from '@ktrdr/data';
import { type LoadResult, runLoad } from './load-client';

function argument(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  // Bounded: a typo must not turn the benchmark into a denial of service on a shared machine.
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

const clients = argument('clients', 32, 256);
const seconds = argument('seconds', 3, 20);
const rounds = argument('rounds', 5, 15);
const MAX_REQUESTS_PER_PHASE = 200_000;

const dataDir = await mkdtemp(join(tmpdir(), 'ktrdr-api-load-'));
const rows = Array.from({ length: 5000 }, (_, i) => {
  const price = 150 + Math.sin(i / 50) * 10 + i / 1000;
  return {
    time: Date.UTC(2023, 0, 2, 14) + i * 3_600_000,
    open: price,
    high: price + 0.5,
    low: price - 0.5,
    close: price + 0.1,
    volume: 1000 + i,
  };
});
await new CsvStore({ dataDir }).save('AAPL', '1h', BarFrame.fromRows(rows), { simulated: true });

type Memory = NodeJS.MemoryUsage;
const child: ChildProcess = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  env: { ...process.env, BENCH_DATA_DIR: dataDir },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const [ready] = (await once(child, 'message')) as [{ url: string }];
const memory = async (): Promise<Memory> => {
  child.send({ type: 'memory' });
  const [reply] = (await once(child, 'message')) as [{ usage: Memory; gc: boolean }];
  if (!reply.gc) throw new Error('the server runs without --expose-gc: memory figures would be meaningless');
  return reply.usage;
};

const scenarios = {
  'GET /data/AAPL/1h?limit=100 (json)': { path: '/data/AAPL/1h?limit=100', accept: 'application/json' },
  'GET /data/AAPL/1h?limit=100&format=csv': {
    path: '/data/AAPL/1h?limit=100&format=csv',
    accept: 'text/csv',
  },
  'GET /health': { path: '/health', accept: 'application/json' },
};
type Name = keyof typeof scenarios;
const results = new Map<Name, LoadResult[]>(Object.keys(scenarios).map((name) => [name as Name, []]));

// Warm-up: JIT, the store's columnar cache, sockets.
for (const { path, accept } of Object.values(scenarios)) {
  await runLoad(`${ready.url}${path}`, { clients, seconds: 1, maxRequests: 2000, accept });
}
const before = await memory();
for (let round = 0; round < rounds; round++) {
  for (const [name, { path, accept }] of Object.entries(scenarios) as [Name, (typeof scenarios)[Name]][]) {
    results.get(name)?.push(
      await runLoad(`${ready.url}${path}`, {
        clients,
        seconds,
        maxRequests: MAX_REQUESTS_PER_PHASE,
        accept,
      }),
    );
  }
}
const after = await memory();
child.kill('SIGTERM');
const [exitCode] = (await once(child, 'exit')) as [number | null];
await rm(dataDir, { recursive: true, force: true });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

console.log(
  `clients: ${clients}, ${rounds} rounds x ${seconds} s per scenario (medians), Node ${process.version}, ${cpus().length} CPUs`,
);
let totalRequests = 0;
let totalErrors = 0;
const throughputs = new Map<Name, number>();
for (const [name, runs] of results) {
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const errors = runs.reduce((sum, r) => sum + r.errors, 0);
  totalRequests += requests;
  totalErrors += errors;
  throughputs.set(name, median(runs.map((r) => r.throughput)));
  const firstError = runs.find((r) => r.firstError !== undefined)?.firstError;
  console.log(
    `${name.padEnd(40)} ${fmt(throughputs.get(name) as number, 0).padStart(6)} req/s  ` +
      `p50 ${fmt(median(runs.map((r) => r.p50Ms)), 2)} ms  p99 ${fmt(median(runs.map((r) => r.p99Ms)), 2)} ms  ` +
      `requests ${requests}  errors ${errors}${firstError === undefined ? '' : ` (first: ${firstError})`}`,
  );
}
const json = throughputs.get('GET /data/AAPL/1h?limit=100 (json)') as number;
console.log(
  `ratio health / bars json: ${fmt((throughputs.get('GET /health') as number) / json, 2)}x; csv / json: ${fmt((throughputs.get('GET /data/AAPL/1h?limit=100&format=csv') as number) / json, 2)}x`,
);
console.log(`total: ${totalRequests} requests, ${totalErrors} errors`);
console.log(
  `server memory after GC: rss ${mb(before.rss)} -> ${mb(after.rss)} (${mb(after.rss - before.rss)}), ` +
    `heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} (${mb(after.heapUsed - before.heapUsed)})`,
);
console.log(`server exit code after SIGTERM: ${exitCode}`);
if (totalErrors > 0) process.exitCode = 1;
