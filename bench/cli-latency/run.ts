/**
 * CLI latency: wall time of whole `ktrdr` processes, side by side with `node -e 0` (the floor: a
 * bare Node start on this machine):
 *
 * - `ktrdr --help` and `ktrdr --version`: the bin alone (one CommonJS file: citty, the commands);
 * - `ktrdr data show` on cached data, in-process (the store, bundled in the bin, reads the column
 *   cache; no SDK package loads);
 * - `ktrdr data show --url` against a running API (the SDK's contracts and HTTP client load).
 *
 * It times the BUILT bin (`node packages/cli/dist/bin/ktrdr.cjs`, what `npx ktrdr` runs), not tsx:
 * run `npm run build` first. Commands take turns in rounds, so a load spike on a shared machine hits
 * all alike; figures are medians over rounds, ratios are medians of per-round ratios to the floor.
 *
 *   npx tsx bench/cli-latency/run.ts [--rounds 15] [--baseline <other checkout, built>]
 *
 * With `--baseline`, each `ktrdr` command also runs from the other checkout's built bin in the same
 * rounds, and the paired ratio (this bin / that bin) is printed: a change compared side by side.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { startIbSimulator } from '@ktrdr/ib-sim';
import { startServer } from '@ktrdr/server';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'packages', 'cli', 'dist', 'bin', 'ktrdr.cjs');
const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Math.max(3, Number(process.argv[roundsIndex + 1]) || 15) : 15;

if (!['cli', 'core', 'data'].every((name) => existsSync(join(root, 'packages', name, 'dist')))) {
  console.error('bench/cli-latency times the built bin: run `npm run build` first.');
  process.exit(1);
}

/** Wall time of one process, spawn to exit, in ms (async: the API answers from this process). */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

// Setup: a year of hourly AAPL bars in a temporary store, loaded from the simulator; an API over it.
const dataDir = await mkdtemp(join(tmpdir(), 'ktrdr-cli-latency-'));
const simulator = await startIbSimulator({ port: 0 });
const config = loadConfig({ ib: { host: simulator.host, port: simulator.port }, dataDir }, {});
const data = new DataService({ config });
const since = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
const loaded = await data
  .loadData({ symbol: 'AAPL', timeframe: '1h', start: since })
  .then((load) => load.result());
await data.close();
const server = await startServer({ kind: 'api', port: 0, config, env: {} });

// Nothing of the caller's configuration may change what is measured.
const env: NodeJS.ProcessEnv = {
  PATH: process.env['PATH'],
  HOME: process.env['HOME'],
  KTRDR_DATA_DIR: dataDir,
};
const show = ['data', 'show', 'AAPL', '-t', '1h', '-r', '10'];
const importOnly = (specifier: string) => [
  '--input-type=module',
  '-e',
  `await import(${JSON.stringify(specifier)})`,
];
const baselineIndex = process.argv.indexOf('--baseline');
const baselineRoot = baselineIndex >= 0 ? process.argv[baselineIndex + 1] : undefined;
const baselineBin =
  baselineRoot === undefined ? undefined : join(baselineRoot, 'packages', 'cli', 'dist', 'bin', 'ktrdr.cjs');
const baselineCommands: Record<string, string[]> =
  baselineBin === undefined
    ? {}
    : {
        '[baseline] ktrdr --version': [baselineBin, '--version'],
        '[baseline] ktrdr --help': [baselineBin, '--help'],
        '[baseline] ktrdr data show (cached, in-process)': [baselineBin, ...show],
        '[baseline] ktrdr data show --url (running API)': [baselineBin, ...show, '--url', server.url],
      };
const measured: Record<string, string[]> = {
  'node -e 0 (floor)': ['-e', '0'],
  'ktrdr --version': [bin, '--version'],
  'ktrdr --help': [bin, '--help'],
  'ktrdr data show (cached, in-process)': [bin, ...show],
  'ktrdr data show --url (running API)': [bin, ...show, '--url', server.url],
  // Where data show's time goes: what importing its dependencies alone costs.
  '  node + import zod': importOnly('zod'),
  '  node + import arquero': importOnly('arquero'),
  '  node + import @ktrdr/core (dist)': importOnly('@ktrdr/core'),
  '  node + import @ktrdr/data (dist)': importOnly('@ktrdr/data'),
  '  node + import @ktrdr/data/store (dist)': importOnly('@ktrdr/data/store'),
};
// Each baseline command runs right after its counterpart, so both see the same moment's load.
const commands: Record<string, string[]> = {};
for (const [name, args] of Object.entries(measured)) {
  commands[name] = args;
  const baseline = baselineCommands[`[baseline] ${name}`];
  if (baseline !== undefined) commands[`[baseline] ${name}`] = baseline;
}

// One unmeasured run each: the first data show builds the column cache, the OS caches the files.
for (const args of Object.values(commands)) await timeProcess(args, env);
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
const ratios: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  const times: Record<string, number> = {};
  // With a baseline, every other round runs the baseline first in each pair: neither side always
  // gets the other's warm file cache.
  const order = Object.entries(commands);
  if (round % 2 === 1) {
    for (let i = 0; i < order.length - 1; i++) {
      if (order[i + 1]![0] === `[baseline] ${order[i]![0]}`)
        [order[i], order[i + 1]] = [order[i + 1]!, order[i]!];
    }
  }
  for (const [name, args] of order) times[name] = await timeProcess(args, env);
  const floor = times['node -e 0 (floor)'] as number;
  for (const name of Object.keys(commands)) {
    samples[name]?.push(times[name] as number);
    ratios[name]?.push((times[name] as number) / floor);
  }
}

await server.close();
await simulator.close();
await rm(dataDir, { recursive: true, force: true });

console.log(
  `bars in store: ${loaded.frame.length} (AAPL 1h, SIMULATED), rounds: ${rounds}, ` +
    `machine: ${process.platform} ${process.arch}, ${cpus().length} cores, Node ${process.version}`,
);
const width = Math.max(...Object.keys(commands).map((name) => name.length));
console.log(`${'command'.padEnd(width)}  median ms    min ms  x floor (paired median)`);
for (const name of Object.keys(commands)) {
  const values = samples[name] as number[];
  console.log(
    `${name.padEnd(width)}  ${median(values).toFixed(1).padStart(9)}  ${Math.min(...values)
      .toFixed(1)
      .padStart(8)}  ${median(ratios[name] as number[])
      .toFixed(2)
      .padStart(6)}x`,
  );
}
if (baselineBin !== undefined) {
  console.log('\nthis bin / baseline bin, paired per round (median):');
  for (const name of Object.keys(baselineCommands)) {
    const mine = samples[name.replace('[baseline] ', '')] ?? [];
    const theirs = samples[name] ?? [];
    console.log(
      `  ${name.replace('[baseline] ', '').padEnd(width)}  ${median(mine.map((ms, i) => ms / (theirs[i] ?? ms))).toFixed(3)}x`,
    );
  }
}
