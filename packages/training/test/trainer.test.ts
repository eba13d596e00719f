import { CancelledError, ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import type { MlpConfig } from '../src/model/mlp-config';
import { trainMlp } from '../src/trainer/train-mlp';
import type { TrainingProgress } from '../src/trainer/training-types';
import { majorityBaseline, syntheticSplit } from './support/synthetic-dataset';

const train = syntheticSplit(600, 8, 1);
const validation = syntheticSplit(200, 8, 2);
const test = syntheticSplit(200, 8, 3);

const config: MlpConfig = {
  hiddenLayers: [16, 8],
  activation: 'relu',
  dropout: 0.1,
  learningRate: 0.01,
  batchSize: 32,
  epochs: 8,
  optimizer: 'adam',
  seed: 7,
};

function maxWeightDifference(
  a: { layers: { kernel: Float32Array; bias: Float32Array }[] },
  b: typeof a,
): number {
  let max = 0;
  a.layers.forEach((layer, i) => {
    const other = b.layers[i]!;
    layer.kernel.forEach((v, j) => (max = Math.max(max, Math.abs(v - other.kernel[j]!))));
    layer.bias.forEach((v, j) => (max = Math.max(max, Math.abs(v - other.bias[j]!))));
  });
  return max;
}

describe('trainMlp', () => {
  it('learns a learnable problem: validation and test accuracy beat the majority-class baseline', async () => {
    const result = await trainMlp({ train, validation, test }, config);
    expect(result.engine).toBe('cpu-fused');
    expect(result.backend).toBe('cpu-fused');
    expect(result.validation!.accuracy).toBeGreaterThan(majorityBaseline(validation.y) + 0.15);
    expect(result.test!.accuracy).toBeGreaterThan(majorityBaseline(test.y) + 0.15);
    expect(result.history).toHaveLength(8);
    expect(result.history[7]!.loss).toBeLessThan(result.history[0]!.loss);
    const m = result.test!;
    expect(m.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(test.rows);
    expect(m.support.reduce((a, b) => a + b, 0)).toBe(test.rows);
    for (const v of [m.precision, m.recall, m.f1]) expect(v).toBeGreaterThan(0.5);
    for (const h of result.history) {
      expect(h.valLoss).toBeTypeOf('number');
      expect(h.learningRate).toBe(0.01);
      expect(h.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('is reproducible: the same seed gives the same weights and metrics, another seed does not', async () => {
    const a = await trainMlp({ train, validation }, { ...config, epochs: 3 });
    const b = await trainMlp({ train, validation }, { ...config, epochs: 3 });
    const c = await trainMlp({ train, validation }, { ...config, epochs: 3, seed: 8 });
    expect(maxWeightDifference(a.weights, b.weights)).toBe(0);
    expect(b.history.map((h) => [h.loss, h.valLoss])).toEqual(a.history.map((h) => [h.loss, h.valLoss]));
    expect(maxWeightDifference(a.weights, c.weights)).toBeGreaterThan(1e-3);
  });

  it.each([
    ['adam', 'relu'],
    ['sgd', 'tanh'],
    ['rmsprop', 'relu'],
    ['adam', 'sigmoid'],
  ] as const)(
    'the WASM SIMD, scalar JS and TF.js engines take the same %s steps (%s, dropout)',
    async (optimizer, activation) => {
      const cfg: MlpConfig = {
        ...config,
        activation,
        optimizer,
        learningRate: optimizer === 'sgd' ? 0.1 : 0.01,
        epochs: 2,
        dropout: 0.2,
      };
      const simd = await trainMlp({ train }, cfg, { engine: 'cpu-fused', kernels: 'wasm-simd' });
      const js = await trainMlp({ train }, cfg, { engine: 'cpu-fused', kernels: 'js' });
      const tfjs = await trainMlp({ train }, cfg, { engine: 'tfjs', backend: 'cpu' });
      expect(simd.details.kernels).toBe('wasm-simd');
      expect(js.details.kernels).toBe('js');
      expect(tfjs.backend).toBe('cpu');
      expect(maxWeightDifference(simd.weights, js.weights)).toBeLessThan(1e-5);
      expect(maxWeightDifference(simd.weights, tfjs.weights)).toBeLessThan(1e-4);
      expect(tfjs.history[1]!.loss).toBeCloseTo(simd.history[1]!.loss, 4);
    },
  );

  it.each(['adam', 'sgd'] as const)(
    'applies weight decay as PyTorch does (g += decay * w), the same on every engine (%s)',
    async (optimizer) => {
      const cfg: MlpConfig = {
        ...config,
        optimizer,
        learningRate: optimizer === 'sgd' ? 0.1 : 0.01,
        epochs: 2,
        weightDecay: 0.05,
      };
      const plain = await trainMlp({ train }, { ...cfg, weightDecay: 0 });
      const simd = await trainMlp({ train }, cfg, { engine: 'cpu-fused', kernels: 'wasm-simd' });
      const tfjs = await trainMlp({ train }, cfg, { engine: 'tfjs', backend: 'cpu' });
      expect(maxWeightDifference(simd.weights, tfjs.weights)).toBeLessThan(1e-4);
      const squares = (w: typeof plain.weights) =>
        w.layers.reduce((sum, l) => sum + l.kernel.reduce((s, v) => s + v * v, 0), 0);
      // The decay pulls every weight towards zero: a clearly smaller norm than without it.
      expect(squares(simd.weights)).toBeLessThan(squares(plain.weights) * 0.97);
    },
  );

  it('applies a step learning-rate schedule per epoch', async () => {
    const result = await trainMlp(
      { train },
      { ...config, epochs: 5, lrSchedule: { type: 'step', stepSize: 2, gamma: 0.5 } },
    );
    expect(result.history.map((h) => h.learningRate)).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025]);
  });

  it('stops early and restores the best epoch weights', async () => {
    // A learning rate far too high makes validation loss worsen after the first epochs.
    const cfg: MlpConfig = {
      ...config,
      learningRate: 0.3,
      epochs: 30,
      earlyStopping: { patience: 2, minDelta: 0, monitor: 'val_loss' },
    };
    const result = await trainMlp({ train, validation }, cfg);
    const losses = result.history.map((h) => h.valLoss!);
    const best = Math.min(...losses);
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBeLessThan(30);
    expect(result.epochsRun).toBe(result.bestEpoch + 2);
    expect(losses[result.bestEpoch - 1]).toBe(best);
    // The kept weights are the best epoch's: re-evaluating them gives its validation loss.
    expect(result.validation!.loss).toBeCloseTo(best, 5);
    expect(result.validation!.loss).toBeLessThan(losses[losses.length - 1]!);
  });

  it('reports progress per batch and per epoch, with the backend', async () => {
    const events: TrainingProgress[] = [];
    await trainMlp(
      { train },
      { ...config, epochs: 2 },
      { onProgress: (p) => events.push(p), batchProgressEvery: 5 },
    );
    const batches = events.filter((e) => e.type === 'batch');
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(batches.length).toBe(2 * 4); // 19 batches per epoch: batches 5, 10, 15 and the last
    expect(batches[0]).toMatchObject({
      batch: 5,
      totalBatches: 19,
      backend: 'cpu-fused',
      engine: 'cpu-fused',
    });
    const first = batches[0]!;
    expect(first.type === 'batch' ? typeof first.loss : 'not a batch event').toBe('number');
    expect(events[events.length - 1]!.progressPercent).toBe(100);
  });

  it('cancels at the next batch with a CancelledError', async () => {
    const controller = new AbortController();
    let batchesAfterAbort = 0;
    const run = trainMlp(
      { train },
      { ...config, epochs: 50 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (controller.signal.aborted) batchesAfterAbort++;
          if (p.type === 'batch' && p.epoch === 2 && p.batch === 3) controller.abort();
        },
      },
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).details).toEqual({ epoch: 2, batch: 4 });
    expect(batchesAfterAbort).toBe(0);
  });

  it('refuses bad configs and data, naming the field', async () => {
    const bad = (c: Partial<MlpConfig>) =>
      trainMlp({ train }, { ...config, ...c }).catch((e: unknown) => e as ValidationError);
    expect((await bad({ hiddenLayers: [16, 0] })).details).toEqual({ field: 'hiddenLayers[1]' });
    expect((await bad({ optimizer: 'adagrad' as never })).details).toEqual({ field: 'optimizer' });
    expect((await bad({ earlyStopping: { patience: 1, minDelta: 0, monitor: 'val_loss' } })).details).toEqual(
      {
        field: 'earlyStopping.monitor',
      },
    );
    const labels = Int32Array.from(train.y);
    labels[5] = 3;
    const error = await trainMlp({ train: { ...train, y: labels } }, config).catch(
      (e: unknown) => e as ValidationError,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details).toEqual({ field: 'train.y' });
    const x = Float32Array.from(train.x);
    x[17] = NaN;
    const nan = await trainMlp({ train: { ...train, x } }, config).then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    );
    expect(nan).toBeInstanceOf(ValidationError);
    expect(nan.message).toContain('row 2 column 1');
  });
});
