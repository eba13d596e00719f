import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, ValidationError } from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSplit } from '../src/model/dataset';
import type { MlpConfig } from '../src/model/mlp-config';
import { maxWeightDifference } from './support/weight-difference';
import { CHECKPOINT_FILE, FileCheckpointStore } from '../src/trainer/checkpoint-store';
import { trainMlp } from '../src/trainer/train-mlp';
import type { TrainingResult, TrainMlpOptions } from '../src/trainer/training-types';
import { syntheticSplit } from './support/synthetic-dataset';

const train = syntheticSplit(400, 6, 1);
const validation = syntheticSplit(120, 6, 2);

const config: MlpConfig = {
  hiddenLayers: [12, 6],
  activation: 'relu',
  dropout: 0.2,
  learningRate: 0.01,
  batchSize: 32,
  epochs: 6,
  optimizer: 'adam',
  seed: 11,
  lrSchedule: { type: 'step', stepSize: 2, gamma: 0.5 },
  earlyStopping: { monitor: 'val_loss', patience: 50, minDelta: 0 },
};

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ktrdr-ckpt-'));
  dirs.push(dir);
  return dir;
}

/** Trains until the checkpoint after epoch `k` is stored, then cancels, as a killed process would stop. */
async function interruptAfter(
  k: number,
  data: { train: DatasetSplit; validation?: DatasetSplit },
  cfg: MlpConfig,
  options: TrainMlpOptions,
  dir: string,
): Promise<void> {
  const controller = new AbortController();
  await expect(
    trainMlp(data, cfg, {
      ...options,
      signal: controller.signal,
      checkpoint: { store: new FileCheckpointStore(dir), every: 1 },
      onCheckpoint: (epoch) => {
        if (epoch === k) controller.abort();
      },
    }),
  ).rejects.toBeInstanceOf(CancelledError);
}

async function resumed(
  data: { train: DatasetSplit; validation?: DatasetSplit },
  cfg: MlpConfig,
  options: TrainMlpOptions,
  dir: string,
): Promise<TrainingResult> {
  // A fresh store object: everything comes back from the file, as in another process.
  const checkpoint = await new FileCheckpointStore(dir).load();
  expect(checkpoint).not.toBeNull();
  return trainMlp(data, cfg, { ...options, resumeFrom: checkpoint! });
}

function withoutDurations(result: TrainingResult) {
  return result.history.map(({ durationMs: _, ...rest }) => rest);
}

describe('training checkpoints and resume', () => {
  it('cpu-fused: a run interrupted after epoch 3 and resumed ends bit-identical to an uninterrupted one', async () => {
    const data = { train, validation };
    const options: TrainMlpOptions = { engine: 'cpu-fused' };
    const whole = await trainMlp(data, config, options);
    const dir = await tempDir();
    await interruptAfter(3, data, config, options, dir);
    const rest = await resumed(data, config, options, dir);
    expect(maxWeightDifference(rest.weights, whole.weights)).toBe(0);
    expect(withoutDurations(rest)).toEqual(withoutDurations(whole));
    expect(rest.bestEpoch).toBe(whole.bestEpoch);
    expect(rest.validation).toEqual(whole.validation);
    // Only the checkpoint itself is left in the folder: no temporary files.
    expect(await readdir(dir)).toEqual([CHECKPOINT_FILE]);
  });

  it('cpu-fused: balanced batches of several symbols, a symbol embedding and early stopping that fires after the resume', async () => {
    const groups = (split: DatasetSplit): DatasetSplit => ({
      ...split,
      groups: Int32Array.from({ length: split.rows }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    });
    const data = { train: groups(train), validation: groups(validation) };
    const cfg: MlpConfig = {
      ...config,
      epochs: 12,
      symbolEmbedding: { symbols: 2, dim: 2 },
      earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0.05 },
    };
    const options: TrainMlpOptions = { engine: 'cpu-fused' };
    const whole = await trainMlp(data, cfg, options);
    expect(whole.stoppedEarly).toBe(true);
    const dir = await tempDir();
    await interruptAfter(2, data, cfg, options, dir);
    const rest = await resumed(data, cfg, options, dir);
    expect(maxWeightDifference(rest.weights, whole.weights)).toBe(0);
    expect(rest.stoppedEarly).toBe(true);
    expect(rest.bestEpoch).toBe(whole.bestEpoch);
    expect(withoutDurations(rest)).toEqual(withoutDurations(whole));
  });

  it('tfjs: the resumed run ends within 1e-5 of the uninterrupted one (float32 bias-correction rounding)', async () => {
    const data = { train, validation };
    const cfg: MlpConfig = { ...config, epochs: 4 };
    const options: TrainMlpOptions = { engine: 'tfjs', backend: 'cpu' };
    const whole = await trainMlp(data, cfg, options);
    const dir = await tempDir();
    await interruptAfter(2, data, cfg, options, dir);
    const rest = await resumed(data, cfg, options, dir);
    expect(rest.engine).toBe('tfjs');
    expect(maxWeightDifference(rest.weights, whole.weights)).toBeLessThan(1e-5);
    expect(rest.history).toHaveLength(4);
  });

  it('refuses a checkpoint of another configuration, data shape or engine, and a corrupt file', async () => {
    const data = { train, validation };
    const dir = await tempDir();
    await interruptAfter(1, data, config, { engine: 'cpu-fused' }, dir);
    const checkpoint = (await new FileCheckpointStore(dir).load())!;
    await expect(trainMlp(data, { ...config, seed: 12 }, { resumeFrom: checkpoint })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      trainMlp({ train: syntheticSplit(300, 6, 1), validation }, config, { resumeFrom: checkpoint }),
    ).rejects.toBeInstanceOf(ValidationError);
    // Same shape, other rows: refused too.
    await expect(
      trainMlp({ train: syntheticSplit(400, 6, 9), validation }, config, { resumeFrom: checkpoint }),
    ).rejects.toThrow('other training data');
    await expect(
      trainMlp(data, config, { engine: 'tfjs', backend: 'cpu', resumeFrom: checkpoint }),
    ).rejects.toBeInstanceOf(ValidationError);
    await writeFile(join(dir, CHECKPOINT_FILE), '{"version":1,"epoch":');
    await expect(new FileCheckpointStore(dir).load()).rejects.toBeInstanceOf(ValidationError);
    expect(await new FileCheckpointStore(join(dir, 'none')).load()).toBeNull();
  });
});
