/**
 * API load benchmark: `--clients` keep-alive clients (autocannon, in its own process) against the
 * backend API started by `startServer` in a child process (loopback only), on a store pre-filled
 * with 5,000 hourly AAPL bars. `GET /data/AAPL/1h?limit=100` (JSON and CSV) and `GET /health` take
 * turns in short rounds so a load spike on a shared machine hits each alike; figures are medians
 * over rounds. With `--baseline <checkout>` the same scenarios also run against that checkout's
 * server (its own `bench/api-load/server.ts`, same data folder) in the same rounds, and the paired
 * per-round ratios say what changed. The server's memory is read after a full GC before the first
 * round and after the last. At the end a write from this process (another process than the
 * server's) must show in the server's next answer.
 *
 *   npx tsx bench/api-load/run.ts [--clients 50] [--seconds 3] [--rounds 5] [--baseline <checkout>]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BarFrame, CsvStore } from '@ktrdr/data';
import type { PhaseRequest, PhaseResult } from './load-process';

function argument(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  // Bounded: a typo must not turn the benchmark into a denial of service on a shared machine.
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

const clients = argument('clients', 50, 256);
const seconds = argument('seconds', 3, 20);
const rounds = argument('rounds', 5, 15);
const baselineIndex = process.argv.indexOf('--baseline');
const baselineRoot = baselineIndex >= 0 ? resolve(process.argv[baselineIndex + 1] ?? '.') : undefined;

const T0 = Date.UTC(2023, 0, 2, 14);
const bars = (count: number, shift = 0) =>
  BarFrame.fromRows(
    Array.from({ length: count }, (_, i) => {
      const price = 150 + Math.sin(i / 50) * 10 + i / 1000 + shift;
      return {
        time: T0 + i * 3_600_000,
        open: price,
        high: price + 0.5,
        low: price - 0.5,
        close: price + 0.1,
        volume: 1000 + i,
      };
    }),
  );
const dataDir = await mkdtemp(join(tmpdir(), 'ktrdr-api-load-'));
const store = new CsvStore({ dataDir });
await store.save('AAPL', '1h', bars(5000), { simulated: true });

type Memory = NodeJS.MemoryUsage;
interface Server {
  url: string;
  child: ChildProcess;
  memory(): Promise<Memory>;
  stop(): Promise<number | null>;
}

/** The API of the checkout at `root` (this one by default), in its own process. */
async function startApi(root: string): Promise<Server> {
  const child = fork(join(root, 'bench', 'api-load', 'server.ts'), [], {
    cwd: root, // tsx resolves `@ktrdr/*` through that checkout's tsconfig paths
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, BENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await once(child, 'message')) as [{ url: string }];
  return {
    url: ready.url,
    child,
    async memory() {
      child.send({ type: 'memory' });
      const [reply] = (await once(child, 'message')) as [{ usage: Memory; gc: boolean }];
      if (!reply.gc)
        throw new Error('the server runs without --expose-gc: memory figures would be meaningless');
      return reply.usage;
    },
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

const here = fileURLToPath(new URL('../..', import.meta.url));
const ours = await startApi(here);
const baseline = baselineRoot === undefined ? undefined : await startApi(baselineRoot);
const loader = fork(fileURLToPath(new URL('./load-process.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
await once(loader, 'message');
const load = async (request: PhaseRequest): Promise<PhaseResult> => {
  loader.send(request);
  const [result] = (await once(loader, 'message')) as [PhaseResult];
  return result;
};

const BARS = '/data/AAPL/1h?limit=100';
const servers = { ours, ...(baseline === undefined ? {} : { baseline }) };
const scenarios = Object.entries(servers).flatMap(([name, server]) => [
  { name: `${name}: GET ${BARS}`, url: `${server.url}${BARS}` },
  { name: `${name}: GET ${BARS}&format=csv`, url: `${server.url}${BARS}&format=csv` },
  { name: `${name}: GET /health`, url: `${server.url}/health` },
]);
const results = new Map<string, PhaseResult[]>(scenarios.map(({ name }) => [name, []]));

// Warm-up: JIT, the store's caches, sockets.
for (const { url } of scenarios) await load({ url, connections: clients, seconds: 1 });
const before = await ours.memory();
const loads: number[] = [];
for (let round = 0; round < rounds; round++) {
  loads.push(loadavg()[0] as number);
  // Alternate the order, so neither server always runs right after the other.
  const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
  for (const { name, url } of order) {
    results.get(name)?.push(await load({ url, connections: clients, seconds }));
  }
}
const after = await ours.memory();

// A write from this process (not the server's) must show in the server's very next answer.
await store.save('AAPL', '1h', bars(5001, 7), { simulated: true });
const fresh = (await (await fetch(`${ours.url}${BARS}`)).json()) as {
  data: { date: string; close: number }[];
};
const expected = bars(5001, 7).at(-1);
const sawWrite = fresh.data.at(-1)?.close === expected?.close && fresh.data.length === 100;

loader.kill('SIGTERM');
const exitCode = await ours.stop();
await baseline?.stop();
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
const runs = (name: string) => results.get(name) ?? [];
/** Median of per-round ratios a/b of throughput (paired: both measured in the same round). */
const pairedRatio = (a: string, b: string) =>
  median(runs(a).map((r, i) => r.throughput / (runs(b)[i]?.throughput ?? Number.NaN)));

console.log(
  `clients: ${clients}, ${rounds} rounds x ${seconds} s per scenario (medians), autocannon in its own process, ` +
    `Node ${process.version}, ${cpus().length} CPUs, load average ${fmt(median(loads), 2)} (median at round starts)`,
);
let totalRequests = 0;
let totalErrors = 0;
for (const { name } of scenarios) {
  const phase = runs(name);
  const requests = phase.reduce((sum, r) => sum + r.requests, 0);
  const errors = phase.reduce((sum, r) => sum + r.errors, 0);
  totalRequests += requests;
  totalErrors += errors;
  console.log(
    `${name.padEnd(52)} ${fmt(median(phase.map((r) => r.throughput)), 0).padStart(6)} req/s  ` +
      `p50 ${fmt(median(phase.map((r) => r.p50Ms)), 2).padStart(6)} ms  ` +
      `p99 ${fmt(median(phase.map((r) => r.p99Ms)), 2).padStart(6)} ms  requests ${requests}  errors ${errors}`,
  );
}
for (const name of Object.keys(servers)) {
  console.log(
    `${name}: health / bars json ${fmt(pairedRatio(`${name}: GET /health`, `${name}: GET ${BARS}`), 2)}x, ` +
      `bars csv / json ${fmt(pairedRatio(`${name}: GET ${BARS}&format=csv`, `${name}: GET ${BARS}`), 2)}x`,
  );
}
if (baseline !== undefined) {
  for (const suffix of [`GET ${BARS}`, `GET ${BARS}&format=csv`, 'GET /health']) {
    console.log(
      `ours / baseline, ${suffix}: ${fmt(pairedRatio(`ours: ${suffix}`, `baseline: ${suffix}`), 2)}x throughput (paired)`,
    );
  }
}
console.log(`total: ${totalRequests} requests, ${totalErrors} errors`);
console.log(
  `server memory after GC: rss ${mb(before.rss)} -> ${mb(after.rss)} (${mb(after.rss - before.rss)}), ` +
    `heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} (${mb(after.heapUsed - before.heapUsed)})`,
);
console.log(`write from another process seen by the next request: ${sawWrite ? 'yes' : 'NO'}`);
console.log(`server exit code after SIGTERM: ${exitCode}`);
if (totalErrors > 0 || !sawWrite) process.exitCode = 1;
