/**
 * bench/train: training throughput on the standard workload (100,000 x 36 features, MLP 64-32-3,
 * ReLU, dropout 0.2, Adam 1e-3, batch 256), ours side by side with PyTorch on CPU (Debian's
 * python3-torch, 2 threads) on the same data in the same run. Rounds alternate the two so that
 * noise from other users of the machine hits both; figures are medians.
 *
 *   npx tsx bench/train/run.ts [--rounds 5] [--budget-s 100] [--threads-only]
 *
 * One session on 1 and on 2 threads (`threads` option of `trainMlp`, issue #18 part 5) run side by
 * side in every round, their order alternating between rounds; each round prints its 2-thread /
 * 1-thread ratio, and the machine's load average is printed before and after. `--threads-only`
 * runs just that comparison (no PyTorch, no secondary engines): the quick rerun on a quiet machine.
 * Without PyTorch installed, its columns are skipped with a notice. `--baseline-src DIR` adds, in
 * each round, `trainMlp` from another copy of the package's sources (one thread), e.g. the commit
 * before two threads: `git archive 8ee0fa6 packages/training/src | tar -x -C bench/.out/base` and
 * `--baseline-src bench/.out/base/packages/training/src`.
 *
 * PyTorch runs with 2 threads (the configured baseline) and, for reference, with 1 thread, with
 * OMP_WAIT_POLICY=PASSIVE unless set (active spin-waiting collapses it on a shared machine).
 *
 * Bounded: rounds stop once the time budget is spent (the machine may be shared and slow).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectTfBackend } from '../../packages/training/src/backend/tf-backend';
import type { MlpConfig } from '../../packages/training/src/model/mlp-config';
import { trainMlp } from '../../packages/training/src/trainer/train-mlp';
import type { TrainMlpOptions } from '../../packages/training/src/trainer/training-types';
import { syntheticDataset } from '../support/synthetic-dataset';

const ROWS = 100_000;
const FEATURES = 36;
const EPOCHS = 3; // the first is warm-up and is not counted
const PYTHON = '/usr/bin/python3';
const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const rounds = arg('--rounds', 5);
const threadsOnly = process.argv.includes('--threads-only');
const baselineAt = process.argv.indexOf('--baseline-src');
const baselineSrc = baselineAt >= 0 ? process.argv[baselineAt + 1] : undefined;
const deadline = performance.now() + arg('--budget-s', 100) * 1000;
const remainingMs = (): number => Math.max(0, deadline - performance.now());

const config: MlpConfig = {
  hiddenLayers: [64, 32],
  activation: 'relu',
  dropout: 0.2,
  learningRate: 1e-3,
  batchSize: 256,
  epochs: EPOCHS,
  optimizer: 'adam',
  seed: 1,
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Median samples/s over the epochs after the first (epoch wall time: shuffle + all batches). */
/** `details.workerShares` of the last 2-thread run: how many batches the worker thread helped with. */
let lastShares = '';

async function ours(options: TrainMlpOptions, epochs = EPOCHS): Promise<number> {
  const result = await trainMlp({ train }, { ...config, epochs }, options);
  lastShares = result.details['workerShares'] ?? lastShares;
  return median(result.history.slice(1).map((h) => ROWS / (h.durationMs / 1000)));
}

function torch(file: string, threads: number, timeoutMs: number): number {
  let out: string;
  try {
    out = runTorch(file, threads, timeoutMs);
  } catch (error) {
    console.log(`pytorch run failed or ran out of time: ${(error as Error).message.split('\n')[0]}`);
    return NaN;
  }
  const epochs = out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { samples_per_second: number });
  return median(epochs.slice(1).map((e) => e.samples_per_second));
}

function runTorch(file: string, threads: number, timeoutMs: number): string {
  return execFileSync(
    PYTHON,
    [path.join(here, 'torch_mlp.py'), file, String(ROWS), String(FEATURES), String(EPOCHS), String(threads)],
    {
      encoding: 'utf8',
      // GNU OpenMP's default active spin-waiting collapses torch's 2-thread runs on a busy machine
      // (7-13k samples/s measured here, 10x slower than passive waiting): give torch its best case.
      env: { ...process.env, OMP_WAIT_POLICY: process.env['OMP_WAIT_POLICY'] ?? 'PASSIVE' },
      timeout: Math.round(Math.max(5_000, Math.min(timeoutMs, remainingMs()))),
    },
  );
}

/** Plain `model.fit` on the TF.js WebAssembly backend: the approach this engine replaced. */
async function tfjsFit(): Promise<number> {
  const { tf } = await selectTfBackend({ backend: 'wasm' });
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [FEATURES], units: 64, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor2d(train.x, [ROWS, FEATURES]);
  const ys = tf.oneHot(tf.tensor1d(train.y, 'int32'), 3);
  const rates: number[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    const start = performance.now();
    await model.fit(xs, ys, { batchSize: 256, epochs: 1, shuffle: true, verbose: 0 });
    rates.push(ROWS / ((performance.now() - start) / 1000));
  }
  xs.dispose();
  ys.dispose();
  model.dispose();
  return rates[1]!;
}

const train = syntheticDataset(ROWS, FEATURES, 12345);

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

function torchVersion(): string | null {
  try {
    return execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const version = threadsOnly ? null : torchVersion();
  if (!threadsOnly && version === null) {
    console.log(
      `note: ${PYTHON} cannot import torch (apt-get install -y python3-torch); PyTorch columns skipped`,
    );
  }
  const outDir = path.join(here, '..', '.out');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'train-data.bin');
  if (version !== null) {
    writeFileSync(file, Buffer.concat([Buffer.from(train.x.buffer), Buffer.from(train.y.buffer)]));
  }
  console.log(
    `bench/train: ${ROWS} x ${FEATURES}, MLP 64-32-3 relu dropout 0.2, Adam 1e-3, batch 256, ${EPOCHS} epochs per run (first not counted); ` +
      `torch ${version ?? 'not run'}; ${availableParallelism()} cores, load average (1/5/15 min) ${load()}`,
  );
  const fused: number[] = [];
  const fused2: number[] = [];
  const base: number[] = [];
  const baseTrain =
    baselineSrc === undefined
      ? undefined
      : ((await import(path.resolve(baselineSrc, 'trainer/train-mlp.ts'))) as { trainMlp: typeof trainMlp })
          .trainMlp;
  const torch2: number[] = [];
  const torch1: number[] = [];
  for (let round = 1; round <= rounds && (round <= 2 || remainingMs() > 30_000); round++) {
    // Alternate which thread count goes first, so a burst of load from other users hits both alike.
    const one = () => ours({ engine: 'cpu-fused', kernels: 'wasm-simd', threads: 1 });
    const two = () => ours({ engine: 'cpu-fused', kernels: 'wasm-simd', threads: 2 });
    const baseline = async () => {
      const result = await baseTrain!({ train }, config, { engine: 'cpu-fused', kernels: 'wasm-simd' });
      base.push(median(result.history.slice(1).map((h) => ROWS / (h.durationMs / 1000))));
    };
    const runs: (() => Promise<void>)[] = [
      async () => void fused.push(await one()),
      async () => void fused2.push(await two()),
    ];
    if (baseTrain !== undefined) runs.push(baseline);
    // Rotate the order from round to round.
    for (let k = 0; k < runs.length; k++) await runs[(k + round - 1) % runs.length]!();
    const i = round - 1;
    // 2 threads is the configured baseline; 1 thread is shown too, as tiny matrices gain little
    // from a second thread and the machine's second core is busy with other work anyway.
    torch2.push(version === null ? NaN : torch(file, 2, 40_000));
    torch1.push(version === null ? NaN : torch(file, 1, 40_000));
    console.log(
      `round ${round}: cpu-fused 1 thread ${fused[i]!.toFixed(0)}, 2 threads ${fused2[i]!.toFixed(0)} samples/s (${(fused2[i]! / fused[i]!).toFixed(2)}x, worker took ${lastShares} second shares)` +
        (baseTrain === undefined
          ? ''
          : `; baseline 1 thread ${base[i]!.toFixed(0)} (2 threads / baseline ${(fused2[i]! / base[i]!).toFixed(2)}x)`) +
        (version === null
          ? ''
          : `; pytorch 2 threads ${torch2[i]!.toFixed(0)}, 1 thread ${torch1[i]!.toFixed(0)}; ratios 1-thread ours ${(fused[i]! / torch2[i]!).toFixed(2)}x / ${(fused[i]! / torch1[i]!).toFixed(2)}x`),
    );
  }
  const show = (r: number[]) => `${median(r).toFixed(2)}x (rounds: ${r.map((v) => v.toFixed(2)).join(', ')})`;
  const speedUp = fused2.map((f, i) => f / fused[i]!);
  console.log(`\nload average after: ${load()}`);
  console.log(
    `cpu-fused samples/s, medians: 1 thread ${median(fused).toFixed(0)}, 2 threads ${median(fused2).toFixed(0)}; ` +
      `per-round ratio 2 / 1 threads: ${show(speedUp)}, min ${Math.min(...speedUp).toFixed(2)}x`,
  );
  if (baseTrain !== undefined) {
    const vsBase = fused2.map((f, i) => f / base[i]!);
    console.log(
      `baseline (${baselineSrc}) 1 thread median ${median(base).toFixed(0)}; per-round ratio 2 threads / baseline: ${show(vsBase)}, min ${Math.min(...vsBase).toFixed(2)}x`,
    );
  }
  if (threadsOnly) return;
  console.log('\nsecondary engines (one run each, 2 epochs, second counted; skipped when out of time):');
  const jsKernels = remainingMs() > 10_000 ? await ours({ engine: 'cpu-fused', kernels: 'js' }, 2) : NaN;
  const tfjsLoop = remainingMs() > 15_000 ? await ours({ engine: 'tfjs', backend: 'wasm' }, 2) : NaN;
  const fit = remainingMs() > 10_000 ? await tfjsFit() : NaN;
  const finite = (values: number[]) => values.filter(Number.isFinite);
  const pt2 = median(finite(torch2));
  const pt1 = median(finite(torch1));
  const rows = [
    ['cpu-fused (WASM SIMD kernels), 1 thread', median(fused)],
    ['cpu-fused (WASM SIMD kernels), 2 threads', median(fused2)],
    ['pytorch CPU, 2 threads', pt2],
    ['pytorch CPU, 1 thread', pt1],
    ['cpu-fused (scalar JS kernels)', jsKernels],
    ['tfjs engine on wasm (custom loop)', tfjsLoop],
    ['tfjs model.fit on wasm', fit],
  ] as const;
  console.log('\n| engine | samples/s | vs PyTorch 2 threads | vs PyTorch 1 thread |\n|---|---:|---:|---:|');
  for (const [name, rate] of rows) {
    console.log(
      `| ${name} | ${rate.toFixed(0)} | ${(rate / pt2).toFixed(2)}x | ${(rate / pt1).toFixed(2)}x |`,
    );
  }
  if (version === null) return;
  const ratios = (baseline: number[]) => finite(fused.map((f, i) => f / baseline[i]!));
  console.log(`\nmedian per-round ratio cpu-fused (1 thread) / pytorch 2 threads: ${show(ratios(torch2))}`);
  console.log(`median per-round ratio cpu-fused (1 thread) / pytorch 1 thread:  ${show(ratios(torch1))}`);
}

await main();
