import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, ValidationError } from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSplit } from '../src/model/dataset';
import type { MlpConfig } from '../src/model/mlp-config';
import { maxWeightDifference } from './support/weight-difference';
import { FileCheckpointStore } from '../src/trainer/checkpoint-store';
import { DropoutDraws } from '../src/trainer/dropout-mask';
import { ParallelFusedMlpEngine, type ShareMode } from '../src/trainer/fused/parallel-fused-engine';
import { initMlpWeights } from '../src/trainer/init-mlp-weights';
import { SeededRandom } from '../src/trainer/seeded-random';
import { TRAINING_THREADS_ENV } from '../src/trainer/fused/training-threads';
import { trainMlp } from '../src/trainer/train-mlp';
import { TrainingWorkerPool } from '../src/worker/training-worker-pool';
import type { TrainingResult, TrainMlpOptions } from '../src/trainer/training-types';
import { syntheticSplit } from './support/synthetic-dataset';

/**
 * Largest weight difference allowed between 1 and 2 threads after the runs below: the same masks
 * and steps, only each batch's gradient summed in two halves (float32 rounding, ~1e-7 per step,
 * compounded over a few hundred Adam steps). Documented in docs/guides/training.md.
 */
const THREADS_TOLERANCE = 1e-4;

const train = syntheticSplit(600, 7, 3);
const validation = syntheticSplit(150, 7, 4);
const config: MlpConfig = {
  hiddenLayers: [16, 8],
  activation: 'relu',
  dropout: 0.2,
  learningRate: 0.01,
  batchSize: 64,
  epochs: 4,
  optimizer: 'adam',
  seed: 21,
};

const savedEnv = process.env[TRAINING_THREADS_ENV];
const dirs: string[] = [];
afterEach(async () => {
  if (savedEnv === undefined) delete process.env[TRAINING_THREADS_ENV];
  else process.env[TRAINING_THREADS_ENV] = savedEnv;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const withoutDurations = (result: TrainingResult) => result.history.map(({ durationMs: _, ...rest }) => rest);
const grouped = (split: DatasetSplit): DatasetSplit => ({
  ...split,
  groups: Int32Array.from({ length: split.rows }, (_, i) => i % 3),
});

const cases: [string, MlpConfig, TrainMlpOptions, boolean][] = [
  ['relu, dropout, adam, WASM SIMD kernels', config, { kernels: 'wasm-simd' }, false],
  [
    'tanh, rmsprop, weight decay, JS kernels',
    { ...config, activation: 'tanh', optimizer: 'rmsprop', weightDecay: 0.01 },
    { kernels: 'js' },
    false,
  ],
  [
    'elu, sgd, a symbol embedding and balanced batches',
    {
      ...config,
      activation: 'elu',
      optimizer: 'sgd',
      batchSize: 50,
      symbolEmbedding: { dim: 2, symbols: 3 },
    },
    {},
    true,
  ],
];

describe('cpu-fused training on two threads', () => {
  for (const [name, cfg, options, groups] of cases) {
    it(`gives bit-identical results per seed, within ${THREADS_TOLERANCE} of one thread (${name})`, async () => {
      const data = groups
        ? { train: grouped(train), validation: grouped(validation) }
        : { train, validation };
      const run = (threads: 1 | 2) => trainMlp(data, cfg, { engine: 'cpu-fused', ...options, threads });
      const [a, b, one] = [await run(2), await run(2), await run(1)];
      expect(a.details).toMatchObject({ threads: '2' });
      expect(maxWeightDifference(a.weights, b.weights)).toBe(0);
      expect(withoutDurations(a)).toEqual(withoutDurations(b));
      expect(a.validation).toEqual(b.validation);
      const difference = maxWeightDifference(a.weights, one.weights);
      expect(difference).toBeLessThan(THREADS_TOLERANCE);
      // Not trivially equal: the split sums do round differently (else the test would prove nothing).
      expect(difference).toBeGreaterThan(0);
      a.history.forEach((epoch, i) => expect(epoch.loss).toBeCloseTo(one.history[i]!.loss, 4));
    });
  }

  it('gives the same bits whether the worker or the calling thread computes the second shares', async () => {
    const cfg = { ...config, epochs: 2 };
    const run = async (mode: ShareMode) => {
      const dropout = new DropoutDraws(new SeededRandom(5), cfg.dropout);
      const engine = await ParallelFusedMlpEngine.create(
        train,
        cfg,
        dropout,
        'auto',
        initMlpWeights(7, cfg),
        mode,
      );
      try {
        // A fixed permutation per epoch (7 is coprime with 600 rows), batches of 64 with a short last one.
        for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
          engine.beginEpoch(Uint32Array.from({ length: train.rows }, (_, i) => (i * 7 * epoch) % train.rows));
          for (let start = 0; start < train.rows; start += 64)
            engine.trainBatch(start, Math.min(64, train.rows - start));
          await engine.endEpoch();
        }
        return { weights: await engine.getWeights(), shares: engine.details['workerShares'] };
      } finally {
        engine.dispose();
      }
    };
    const byWorker = await run('worker');
    const here = await run('here');
    const either = await run('auto');
    expect(byWorker.shares).toBe('20/20');
    expect(here.shares).toBe('0/20');
    expect(maxWeightDifference(byWorker.weights, here.weights)).toBe(0);
    expect(maxWeightDifference(either.weights, here.weights)).toBe(0);
  });

  it('equals one thread bit for bit when batches are too small to split (4 rows)', async () => {
    const cfg = { ...config, batchSize: 4, epochs: 2 };
    const two = await trainMlp({ train }, cfg, { engine: 'cpu-fused', threads: 2 });
    const one = await trainMlp({ train }, cfg, { engine: 'cpu-fused', threads: 1 });
    expect(maxWeightDifference(two.weights, one.weights)).toBe(0);
    expect(withoutDurations(two)).toEqual(withoutDurations(one));
  });

  it('resumes a checkpoint taken with two threads bit-identical to the uninterrupted run (and on one thread, within tolerance)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ktrdr-threads-'));
    dirs.push(dir);
    const cfg = { ...config, epochs: 5 };
    const options: TrainMlpOptions = { engine: 'cpu-fused', threads: 2 };
    const data = { train, validation };
    const whole = await trainMlp(data, cfg, options);
    const controller = new AbortController();
    await expect(
      trainMlp(data, cfg, {
        ...options,
        signal: controller.signal,
        checkpoint: { store: new FileCheckpointStore(dir), every: 1 },
        onCheckpoint: (epoch) => epoch === 2 && controller.abort(),
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    const checkpoint = await new FileCheckpointStore(dir).load();
    const rest = await trainMlp(data, cfg, { ...options, resumeFrom: checkpoint! });
    expect(maxWeightDifference(rest.weights, whole.weights)).toBe(0);
    expect(withoutDurations(rest)).toEqual(withoutDurations(whole));
    // The checkpoint does not depend on the thread count: one thread resumes it, within the tolerance.
    const onOne = await trainMlp(data, cfg, { engine: 'cpu-fused', threads: 1, resumeFrom: checkpoint! });
    expect(maxWeightDifference(onOne.weights, whole.weights)).toBeLessThan(THREADS_TOLERANCE);
  });

  it('stops at the next batch when cancelled mid-epoch, and trains again afterwards', async () => {
    const controller = new AbortController();
    const error = await trainMlp({ train }, config, {
      engine: 'cpu-fused',
      threads: 2,
      signal: controller.signal,
      onProgress: (p) => p.type === 'batch' && p.epoch === 2 && p.batch === 3 && controller.abort(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).details).toEqual({ epoch: 2, batch: 4 });
    const again = await trainMlp({ train }, { ...config, epochs: 1 }, { engine: 'cpu-fused', threads: 2 });
    expect(again.epochsRun).toBe(1);
  });

  it('runs inside a training worker thread (the pool) with the same result as on the calling thread', async () => {
    const pool = new TrainingWorkerPool({ concurrency: 1 });
    try {
      const cfg = { ...config, epochs: 2 };
      const { result } = await pool.submit({
        data: { train },
        config: cfg,
        options: { engine: 'cpu-fused', threads: 2 },
      }).result;
      const here = await trainMlp({ train }, cfg, { engine: 'cpu-fused', threads: 2 });
      expect(result.details['threads']).toBe('2');
      expect(maxWeightDifference(result.weights, here.weights)).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it(`reads ${TRAINING_THREADS_ENV}; the default is one thread, bit-identical to threads: 1`, async () => {
    const cfg = { ...config, epochs: 1 };
    delete process.env[TRAINING_THREADS_ENV];
    const byDefault = await trainMlp({ train }, cfg, { engine: 'cpu-fused' });
    expect(byDefault.details['threads']).toBeUndefined();
    const one = await trainMlp({ train }, cfg, { engine: 'cpu-fused', threads: 1 });
    expect(maxWeightDifference(byDefault.weights, one.weights)).toBe(0);
    process.env[TRAINING_THREADS_ENV] = '2';
    const fromEnv = await trainMlp({ train }, cfg, { engine: 'cpu-fused' });
    expect(fromEnv.details['threads']).toBe('2');
    // The option wins over the environment.
    expect(
      (await trainMlp({ train }, cfg, { engine: 'cpu-fused', threads: 1 })).details['threads'],
    ).toBeUndefined();
    process.env[TRAINING_THREADS_ENV] = 'many';
    const error = await trainMlp({ train }, cfg, { engine: 'cpu-fused' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual({ field: TRAINING_THREADS_ENV });
  });

  it('refuses threads other than 1, 2 or "auto", and two threads on the tfjs engine', async () => {
    for (const [threads, engine] of [
      [3, 'cpu-fused'],
      [2, 'tfjs'],
    ] as const) {
      const error = await trainMlp({ train }, config, { engine, threads: threads as 2 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual({ field: 'threads' });
    }
  });
});
