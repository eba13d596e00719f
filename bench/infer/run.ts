/**
 * bench/infer: predictions per second of the standard model (MLP 36-64-32-3) through ONNX Runtime
 * (onnxruntime-node, the default `predict` runtime when installed), through ktrdr's built-in fused
 * engine (WebAssembly SIMD; what `predict` runs without onnxruntime-node) and through TF.js (best
 * backend available here: wasm unless tfjs-node is installed). Batch-1 latency and batch-1024 throughput; rounds
 * alternate runtimes and the figures are medians. ONNX Runtime runs twice: with ktrdr's session options
 * (`onnxSessionOptions`: intra-op threads = cores, no spin-waiting, full graph optimisation) and with
 * ONNX Runtime's defaults (what ktrdr used before). Each round prints its own batch-1024 ratio ONNX
 * Runtime / TF.js, then the minimum over rounds. Last, `predict()` over 10,000 rows three ways: reading
 * the per-row objects, reading only the typed arrays, and `predictColumns` (columns in and out).
 *
 *   npx tsx bench/infer/run.ts [--rounds 3] [--seconds 1.5]
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as ortModule from 'onnxruntime-node';
import { selectTfBackend } from '../../packages/training/src/backend/tf-backend';
import { initMlpWeights } from '../../packages/training/src/trainer/init-mlp-weights';
import { predict, predictColumns } from '../../packages/training/src/onnx/predict';
import { buildTfjsModel } from '../../packages/training/src/model/tfjs-mlp';
import { exportMlpToOnnx } from '../../packages/training/src/onnx/onnx-export';
import { OnnxMlpSession } from '../../packages/training/src/onnx/onnx-session';
import { FusedPredictor } from '../../packages/training/src/onnx/fused-predictor';

const FEATURES = 36;
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const rounds = arg('--rounds', 3);
const seconds = arg('--seconds', 1.5);

const weights = initMlpWeights(FEATURES, {
  hiddenLayers: [64, 32],
  activation: 'relu',
  dropout: 0.2,
  seed: 1,
});
weights.layers.forEach((l) => l.bias.forEach((_, i) => (l.bias[i] = 0.01 * ((i % 5) - 2))));
const inputs = (rows: number): Float32Array =>
  Float32Array.from({ length: rows * FEATURES }, (_, i) => Math.sin(i));

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

/** Calls `fn` for about `seconds`; per-call latencies in ms. */
async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    await fn();
    latencies.push(performance.now() - t0);
  }
  return latencies;
}

/** `predict()` with its per-row objects read (they are built on first read). */
const rowObjects = async (...args: Parameters<typeof predict>) => (await predict(...args)).predictions;
const ort = ((ortModule as { default?: typeof ortModule }).default ?? ortModule) as typeof ortModule;

async function main(): Promise<void> {
  const onnxBytes = exportMlpToOnnx(weights);
  const session = await OnnxMlpSession.create(onnxBytes);
  // ONNX Runtime with its own default session options: the "before" of issue #18 part 3.
  const plain = await ort.InferenceSession.create(onnxBytes);
  const plainRun = async (x: Float32Array, rows: number): Promise<Float32Array> =>
    (await plain.run({ features: new ort.Tensor('float32', x, [rows, FEATURES]) }))['probabilities']!
      .data as Float32Array;
  const { tf, name: backend } = await selectTfBackend();
  const model = buildTfjsModel(tf, weights);
  const tfjsRun = async (x: Float32Array, rows: number): Promise<Float32Array> => {
    const out = tf.tidy(() => model.predict(tf.tensor2d(x, [rows, FEATURES])) as Tensor);
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  };
  const one = inputs(1);
  const batch = inputs(1024);
  const loaded = { weights };
  // Parity check first: a benchmark of wrong answers is worthless.
  const a = await session.run(batch, 1024, FEATURES);
  const b = await tfjsRun(batch, 1024);
  const fused = new FusedPredictor(weights);
  const c = await fused.run(batch, 1024);
  const maxDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
  const maxFusedDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - c[i]!)), 0);
  console.log(
    `bench/infer: MLP ${FEATURES}-64-32-3; TF.js backend ${backend}; on 1024 rows max |onnx - tfjs| = ${maxDiff.toExponential(2)}, max |onnx - fused| = ${maxFusedDiff.toExponential(2)}`,
  );

  const results: Record<string, { latency: number[]; p99: number[]; throughput: number[] }> = {};
  const roundRatios: number[] = [];
  const roundRatiosPlain: number[] = [];
  const last = (name: string): number => results[name]!.throughput[results[name]!.throughput.length - 1]!;
  const record = (name: string, latencies: number[], rows: number): void => {
    const r = (results[name] ??= { latency: [], p99: [], throughput: [] });
    if (rows === 1) {
      r.latency.push(median(latencies));
      r.p99.push(percentile(latencies, 0.99));
    } else {
      r.throughput.push((rows * latencies.length) / (latencies.reduce((s, v) => s + v, 0) / 1000));
    }
  };
  for (let round = 1; round <= rounds; round++) {
    record('onnxruntime', await time(() => session.run(one, 1, FEATURES)), 1);
    record('fused', await time(() => fused.run(one, 1)), 1);
    record('tfjs', await time(() => tfjsRun(one, 1)), 1);
    record(
      'predict() (onnx, with row objects)',
      await time(() => rowObjects(loaded, { x: one, rows: 1 })),
      1,
    );
    record(
      'predict() (fused, with row objects)',
      await time(() => rowObjects(loaded, { x: one, rows: 1 }, { runtime: 'fused' })),
      1,
    );
    record('onnxruntime (ORT default options)', await time(() => plainRun(one, 1)), 1);
    record('onnxruntime', await time(() => session.run(batch, 1024, FEATURES)), 1024);
    record('tfjs', await time(() => tfjsRun(batch, 1024)), 1024);
    record('onnxruntime (ORT default options)', await time(() => plainRun(batch, 1024)), 1024);
    record('fused', await time(() => fused.run(batch, 1024)), 1024);
    roundRatios.push(last('onnxruntime') / last('tfjs'));
    roundRatiosPlain.push(last('onnxruntime (ORT default options)') / last('tfjs'));
    record(
      'predict() (onnx, with row objects)',
      await time(() => rowObjects(loaded, { x: batch, rows: 1024 })),
      1024,
    );
    record(
      'predict() (fused, with row objects)',
      await time(() => rowObjects(loaded, { x: batch, rows: 1024 }, { runtime: 'fused' })),
      1024,
    );
    console.log(
      `round ${round}: batch 1024, ONNX Runtime / TF.js = ${roundRatios[round - 1]!.toFixed(1)}x (ORT default options: ${roundRatiosPlain[round - 1]!.toFixed(1)}x)`,
    );
  }
  console.log(
    '\n| runtime | batch-1 latency median (ms) | batch-1 p99 (ms) | batch-1 predictions/s | batch-1024 rows/s |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, r] of Object.entries(results)) {
    const latency = median(r.latency);
    console.log(
      `| ${name} | ${latency.toFixed(3)} | ${median(r.p99).toFixed(3)} | ${(1000 / latency).toFixed(0)} | ${median(r.throughput).toFixed(0)} |`,
    );
  }
  const ortLatency = median(results['onnxruntime']!.latency);
  const tfLatency = median(results['tfjs']!.latency);
  const fusedLatency = median(results['fused']!.latency);
  const ortThroughput = median(results['onnxruntime']!.throughput);
  console.log(
    `\nONNX Runtime vs TF.js: batch-1 ${(tfLatency / ortLatency).toFixed(1)}x faster, batch-1024 ${(ortThroughput / median(results['tfjs']!.throughput)).toFixed(1)}x the throughput`,
  );
  console.log(
    `ONNX Runtime vs fused: batch-1 ${(fusedLatency / ortLatency).toFixed(1)}x faster, batch-1024 ${(ortThroughput / median(results['fused']!.throughput)).toFixed(1)}x the throughput`,
  );
  const show = (r: number[]) =>
    `min ${Math.min(...r).toFixed(1)}x, median ${median(r).toFixed(1)}x (rounds: ${r.map((v) => v.toFixed(1)).join(', ')})`;
  console.log(`batch-1024 ratio ONNX Runtime / TF.js per round: ${show(roundRatios)}`);
  console.log(`  with ONNX Runtime's default session options:   ${show(roundRatiosPlain)}`);

  await bulk(loaded);
  model.dispose();
  await session.close();
  await plain.release();
}

/** `predict()` over 10,000 rows (ONNX Runtime): with row objects, typed arrays only, columnar. */
async function bulk(loaded: { weights: typeof weights }): Promise<void> {
  const ROWS = 10_000;
  const x = inputs(ROWS);
  const columns = Array.from({ length: FEATURES }, (_, f) =>
    Float32Array.from({ length: ROWS }, (_, r) => x[r * FEATURES + f]!),
  );
  const ways: [string, () => Promise<unknown>][] = [
    [
      'predict(), reading .predictions (one object per row)',
      async () => (await predict(loaded, x)).predictions,
    ],
    ['predict(), reading .classes/.probabilities only', async () => (await predict(loaded, x)).classes],
    ['predictColumns() (columns in, columns out)', () => predictColumns(loaded, { columns })],
  ];
  const rates = new Map<string, number[]>(ways.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of ways) {
      const latencies = await time(fn);
      rates.get(name)!.push(ROWS / (median(latencies) / 1000));
    }
  }
  console.log(
    `\n| predict over ${ROWS} rows (ONNX Runtime) | rows/s (median of ${rounds} rounds) |\n|---|---:|`,
  );
  for (const [name, r] of rates) console.log(`| ${name} | ${median(r).toFixed(0)} |`);
}

await main();
