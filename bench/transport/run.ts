/**
 * Transport benchmark: calls per second and p50/p99 latency of one small call, side by side in one
 * run, for the in-process transport, HTTP with one persistent client (one `createHttpTransport`
 * reused), and HTTP with a new client per call (new transport, new connection, closed after: the
 * seed's "before" pattern). The server runs in a child process, as a host service would. Three more
 * rows show floors with nothing of ktrdr on top: Node's own `http`, ky over Node's `http` (what the
 * transport is built on), and `fetch` (undici).
 *
 * Modes take turns in short rounds, so a load spike on a shared machine hits every mode alike;
 * figures are medians over rounds, and ratios are medians of per-round (paired) ratios.
 *
 * The two targets of issue #18 are printed last: our layer (typed client, validation, transport)
 * over ky alone on `node:http`, both calling the same service server, at p50; and one persistent
 * client against a new client per call over HTTPS on loopback, where a new connection pays a TLS
 * handshake (a self-signed certificate made with `openssl` at start; `--no-tls` skips these modes).
 *
 *   npx tsx bench/transport/run.ts [--rounds 15] [--calls 1000] [--baseline <other checkout>] [--no-tls]
 */
import { fork, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createHttpTransport, createInProcessTransport, createServiceClient } from '@ktrdr/core';
import { BenchAdapter } from './adapter';
import { loadBaseline } from './baseline';
import { fetchFloorClient, floorClient, kyFloorClient } from './floor';
import { type Sample, measure, median } from './measure';
import { benchContract, benchImplementation, benchInput } from './service';
import { makeSelfSignedCert } from './tls';

const tls = !process.argv.includes('--no-tls');
if (tls && process.env['BENCH_TLS_CERT'] === undefined) {
  // Node reads NODE_EXTRA_CA_CERTS only at start-up: run again, trusting the new certificate.
  const files = makeSelfSignedCert();
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: files.cert,
      BENCH_TLS_KEY: files.key,
      BENCH_TLS_CERT: files.cert,
    },
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  rmSync(dirname(files.cert), { recursive: true, force: true });
  process.exit(code ?? 1);
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const rounds = argument('rounds', 15);
const calls = argument('calls', 1000);

async function startServer(): Promise<{ url: string; floorUrl: string; secureUrl: string; stop(): void }> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  const [url = '', floorUrl = '', secureUrl = '-'] = chunk.toString().trim().split(' ');
  return { url, floorUrl, secureUrl, stop: () => child.kill('SIGTERM') };
}

const server = await startServer();
const options = { baseUrl: server.url, serviceName: 'bench service' };
const inProcess = createServiceClient(benchContract, createInProcessTransport(benchImplementation));
const persistentTransport = createHttpTransport(options);
const persistent = createServiceClient(benchContract, persistentTransport);
// What adapters run: the selector's transport inside the interceptor chain (stats, retry policy, auth).
const adapter = new BenchAdapter({ kind: 'http', url: server.url, token: 'bench-token' });
const inProcessAdapter = new BenchAdapter({ kind: 'in-process', implementation: benchImplementation });

/** The "before" pattern: a new client (and so a new connection) for every call, closed after it. */
async function newClientPerCall(baseUrl = server.url): Promise<unknown> {
  const transport = createHttpTransport({ ...options, baseUrl });
  try {
    return await createServiceClient(benchContract, transport).echo(benchInput);
  } finally {
    await transport.close();
  }
}
const secureTransport = tls ? createHttpTransport({ ...options, baseUrl: server.secureUrl }) : undefined;
const secure = secureTransport && createServiceClient(benchContract, secureTransport);
const secureModes =
  secure === undefined
    ? {}
    : {
        'https persistent': { call: () => secure.echo(benchInput), calls },
        'https new client per call': {
          call: () => newClientPerCall(server.secureUrl),
          calls: Math.ceil(calls / 4),
        },
      };

const baselineIndex = process.argv.indexOf('--baseline');
const baselineRoot = baselineIndex >= 0 ? process.argv[baselineIndex + 1] : undefined;
const baseline = baselineRoot === undefined ? undefined : await loadBaseline(baselineRoot, server.url);
const baselineModes =
  baseline === undefined
    ? undefined
    : {
        'baseline: in-process adapter': { call: baseline.inProcessAdapter, calls },
        'baseline: http persistent': { call: baseline.http, calls },
        'baseline: http persistent, adapter': { call: baseline.adapter, calls },
      };

const modes = {
  'in-process': { call: () => inProcess.echo(benchInput), calls },
  'in-process, adapter interceptor chain': { call: () => inProcessAdapter.echo(), calls },
  'http persistent': { call: () => persistent.echo(benchInput), calls },
  'http persistent, adapter interceptor chain': { call: () => adapter.echo(), calls },
  // Each call opens a socket: fewer per round keep the run bounded (and the TIME_WAIT table small).
  'http new client per call': { call: () => newClientPerCall(), calls: Math.ceil(calls / 4) },
  ...secureModes,
  'floor: node:http alone, keep-alive': { call: floorClient(server.floorUrl, benchInput), calls },
  'floor: node:http alone, new connection per call': {
    call: floorClient(server.floorUrl, benchInput, false),
    calls: Math.ceil(calls / 4),
  },
  'floor: ky alone, over node:http': { call: kyFloorClient(server.floorUrl, benchInput), calls },
  // The same server as ours: only the client side differs, which is what "our layer" is.
  'floor: ky alone, over node:http, to the service server': {
    call: kyFloorClient(server.url, benchInput),
    calls,
  },
  'floor: fetch alone (undici), keep-alive': { call: fetchFloorClient(server.floorUrl, benchInput), calls },
  ...(baselineModes ?? {}),
} as Record<string, { call: () => Promise<unknown>; calls: number }>;
type Mode = string;
const samples = new Map<Mode, Sample[]>(Object.keys(modes).map((mode) => [mode, []]));
const samplesOf = (mode: Mode): Sample[] => samples.get(mode) ?? [];

// Warm every path (JIT, pool, server) before measuring.
for (const { call } of Object.values(modes)) await measure(call, 300, 0);
for (let round = 1; round <= rounds; round++) {
  for (const [mode, { call, calls: n }] of Object.entries(modes)) {
    samplesOf(mode).push(await measure(call, n, Math.min(50, n)));
  }
  process.stderr.write(`round ${round}/${rounds}\r`);
}
await persistentTransport.close();
await secureTransport?.close();
await adapter.close();
await baseline?.close();
server.stop();

const summary = (mode: Mode) => ({
  callsPerSecond: median(samplesOf(mode).map((s) => s.callsPerSecond)),
  p50Us: median(samplesOf(mode).map((s) => s.p50Us)),
  p99Us: median(samplesOf(mode).map((s) => s.p99Us)),
  cpuUs: median(samplesOf(mode).map((s) => s.cpuUsPerCall)),
});
const pairedRatio = (a: Mode, b: Mode, of: (s: Sample) => number) =>
  median(samplesOf(a).map((s, i) => of(s) / of(samplesOf(b)[i]!)));

console.log(
  `node ${process.version}, ${cpus().length} CPUs; ${rounds} rounds of ${calls} calls ` +
    `(new client per call: ${Math.ceil(calls / 4)}); medians over rounds:\n`,
);
console.log('| mode | calls/s | p50 (us) | p99 (us) | client CPU (us/call) |');
console.log('|---|---:|---:|---:|---:|');
for (const mode of Object.keys(modes) as Mode[]) {
  const s = summary(mode);
  console.log(
    `| ${mode} | ${s.callsPerSecond.toFixed(0)} | ${s.p50Us.toFixed(1)} | ${s.p99Us.toFixed(1)} | ${s.cpuUs.toFixed(1)} |`,
  );
}
const throughput = pairedRatio('http persistent', 'http new client per call', (s) => s.callsPerSecond);
const latency = pairedRatio('http new client per call', 'http persistent', (s) => s.p50Us);
const local = pairedRatio('in-process', 'http persistent', (s) => s.callsPerSecond);
// What reusing a connection can win at most on this machine, with nothing of ours or ky's on top.
const connectionBound = pairedRatio(
  'floor: node:http alone, keep-alive',
  'floor: node:http alone, new connection per call',
  (s) => s.callsPerSecond,
);
console.log(
  `\nhttp persistent vs new client per call: ${throughput.toFixed(2)}x throughput, ${latency.toFixed(2)}x lower p50`,
);
console.log(`in-process vs http persistent: ${local.toFixed(1)}x throughput`);
console.log(
  `node:http alone, keep-alive vs new connection per call: ${connectionBound.toFixed(2)}x throughput ` +
    '(the most connection reuse can win here)',
);
const over = (floor: Mode) =>
  median(samplesOf('http persistent').map((s, i) => s.p50Us - samplesOf(floor)[i]!.p50Us)).toFixed(1);
console.log(
  `http persistent p50 over the node:http floor: +${over('floor: node:http alone, keep-alive')} us; ` +
    `over the ky floor: +${over('floor: ky alone, over node:http')} us; ` +
    `over the fetch floor: +${over('floor: fetch alone (undici), keep-alive')} us`,
);
const chainCost = (chained: Mode, bare: Mode) =>
  median(samplesOf(chained).map((s, i) => s.p50Us - samplesOf(bare)[i]!.p50Us)).toFixed(1);
console.log(
  `adapter interceptor chain p50 over the bare transport: http +${chainCost('http persistent, adapter interceptor chain', 'http persistent')} us ` +
    `(${pairedRatio('http persistent, adapter interceptor chain', 'http persistent', (s) => s.p50Us).toFixed(3)}x); ` +
    `in-process +${chainCost('in-process, adapter interceptor chain', 'in-process')} us`,
);
console.log(
  `http persistent p50 / ky floor p50 (paired): ${pairedRatio('http persistent', 'floor: ky alone, over node:http', (s) => s.p50Us).toFixed(3)}x; ` +
    `calls/s ratio: ${pairedRatio('http persistent', 'floor: ky alone, over node:http', (s) => s.callsPerSecond).toFixed(3)}x`,
);
if (baselineModes !== undefined) {
  const vs = (mine: Mode, theirs: Mode) =>
    `${pairedRatio(mine, theirs, (s) => s.p50Us).toFixed(3)}x p50, ` +
    `${pairedRatio(mine, theirs, (s) => s.callsPerSecond).toFixed(3)}x calls/s`;
  console.log(
    `vs baseline (paired per round): http persistent ${vs('http persistent', 'baseline: http persistent')}; ` +
      `adapter path over http ${vs('http persistent, adapter interceptor chain', 'baseline: http persistent, adapter')}; ` +
      `adapter path in-process ${vs('in-process, adapter interceptor chain', 'baseline: in-process adapter')}`,
  );
}
const kyServiceFloor = 'floor: ky alone, over node:http, to the service server';
const signedPercent = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
const overhead = pairedRatio('http persistent', kyServiceFloor, (s) => s.p50Us);
console.log(
  `\nissue #18 targets:\n  our layer over ky alone on node:http (same server), p50: ` +
    `${signedPercent(overhead)} (${chainCost('http persistent', kyServiceFloor)} us; paired) ` +
    `-> ${overhead <= 1.15 ? 'met' : 'MISSED'} (<= 15%); client CPU per call ` +
    `${signedPercent(pairedRatio('http persistent', kyServiceFloor, (s) => s.cpuUsPerCall))}`,
);
if (secure !== undefined) {
  const reuse = pairedRatio('https persistent', 'https new client per call', (s) => s.callsPerSecond);
  const reuseP50 = pairedRatio('https new client per call', 'https persistent', (s) => s.p50Us);
  console.log(
    `  https persistent vs new client per call: ${reuse.toFixed(2)}x throughput, ${reuseP50.toFixed(2)}x lower p50 ` +
      `-> ${reuse >= 3 ? 'met' : 'MISSED'} (>= 3x)`,
  );
}
const persistentP50 = summary('http persistent').p50Us;
const inProcessP50 = summary('in-process').p50Us;
console.log(
  `targets: persistent >= 3x new-client throughput: ${throughput >= 3 ? 'met' : 'MISSED'}; ` +
    `persistent p50 < 200 us: ${persistentP50 < 200 ? 'met' : 'MISSED'}; ` +
    `in-process p50 < 20 us: ${inProcessP50 < 20 ? 'met' : 'MISSED'}`,
);
