import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotFoundError, ValidationError } from '@ktrdr/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelStore } from '../src/storage/model-store';
import { trainMlp } from '../src/trainer/train-mlp';
import type { TrainingResult } from '../src/trainer/training-types';
import { syntheticSplit } from './support/synthetic-dataset';

let result: TrainingResult;
let root: string;
let store: ModelStore;
const key = { strategy: 'neuro_mean_reversion', symbol: 'AAPL', timeframe: '1h' };

beforeAll(async () => {
  result = await trainMlp(
    { train: syntheticSplit(200, 4, 1), test: syntheticSplit(50, 4, 2) },
    {
      hiddenLayers: [6],
      activation: 'relu',
      dropout: 0.1,
      learningRate: 0.01,
      batchSize: 32,
      epochs: 2,
      optimizer: 'adam',
      seed: 1,
    },
  );
});

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ktrdr-models-'));
  store = new ModelStore({ root });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ModelStore', () => {
  it('writes the reference layout: TF.js files, ONNX, config/metrics/features/metadata JSON and a latest pointer', async () => {
    const saved = await store.save({
      ...key,
      result,
      features: { names: ['rsi_low', 'rsi_high', 'macd_pos', 'macd_neg'], scaler: { type: 'none' } },
      strategyConfig: { name: 'neuro_mean_reversion' },
      dataRange: { start: '2024-01-01T00:00:00Z', end: '2024-02-01T00:00:00Z', bars: 250 },
      simulated: true,
    });
    expect(saved.version).toBe(1);
    expect(saved.directory).toBe(path.join(root, 'neuro_mean_reversion', 'AAPL_1h_v1'));
    expect((await readdir(saved.directory)).sort()).toEqual(
      [
        'config.json',
        'features.json',
        'metadata.json',
        'metrics.json',
        'model.json',
        'model.onnx',
        'weights.bin',
      ].sort(),
    );
    const metadata = JSON.parse(await readFile(path.join(saved.directory, 'metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({
      strategy: 'neuro_mean_reversion',
      symbol: 'AAPL',
      timeframe: '1h',
      version: 1,
      backend: 'cpu-fused',
      simulated: true,
      data_range: { start: '2024-01-01T00:00:00Z', end: '2024-02-01T00:00:00Z', bars: 250 },
      feature_count: 4,
      classes: ['BUY', 'HOLD', 'SELL'],
    });
    expect(Date.parse(metadata.created_at)).not.toBeNaN();
    const metrics = JSON.parse(await readFile(path.join(saved.directory, 'metrics.json'), 'utf8'));
    expect(metrics.history).toHaveLength(2);
    expect(metrics.test.confusion_matrix).toHaveLength(3);
    const features = JSON.parse(await readFile(path.join(saved.directory, 'features.json'), 'utf8'));
    expect(features).toEqual({
      feature_names: ['rsi_low', 'rsi_high', 'macd_pos', 'macd_neg'],
      feature_count: 4,
      scaler: { type: 'none' },
    });
    const pointer = path.join(root, 'neuro_mean_reversion', 'AAPL_1h_latest');
    expect((await lstat(pointer)).isSymbolicLink()).toBe(true);
    expect(await readlink(pointer)).toBe('AAPL_1h_v1');
    const modelJson = JSON.parse(await readFile(path.join(saved.directory, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
  });

  it('numbers versions, moves latest, and loads by version or latest', async () => {
    await store.save({ ...key, result });
    await store.save({ ...key, result });
    await store.save({ ...key, symbol: 'MSFT', result });
    expect(await store.versions(key)).toEqual([1, 2]);
    expect(await store.latestVersion(key)).toBe(2);
    const latest = await store.load(key);
    expect(latest.version).toBe(2);
    expect(latest.latest).toBe(true);
    const first = await store.load(key, 1);
    expect(first.latest).toBe(false);
    expect(first.weights.layers[0]!.kernel).toEqual(result.weights.layers[0]!.kernel);
    expect(first.weights.activation).toBe('relu');
    const all = await store.list();
    expect(all.map((m) => `${m.key.symbol}_v${m.version}${m.latest ? '*' : ''}`)).toEqual([
      'AAPL_v1',
      'AAPL_v2*',
      'MSFT_v1*',
    ]);
    expect((await store.list({ symbol: 'MSFT' })).map((m) => m.version)).toEqual([1]);
  });

  it('gives concurrent saves distinct versions and points latest at the newest', async () => {
    const saves = await Promise.all(Array.from({ length: 6 }, () => store.save({ ...key, result })));
    expect(saves.map((s) => s.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await store.latestVersion(key)).toBe(6);
  });

  it('falls back to a text pointer, and to the newest complete version when the pointer is missing', async () => {
    await store.save({ ...key, result });
    await store.save({ ...key, result });
    const pointer = path.join(root, key.strategy, 'AAPL_1h_latest');
    await unlink(pointer);
    await writeFile(pointer, 'AAPL_1h_v1\n');
    expect((await store.load(key)).version).toBe(1);
    await unlink(pointer);
    expect((await store.load(key)).version).toBe(2);
    // A tampered pointer cannot lead outside the strategy folder.
    await writeFile(pointer, '../../etc\n');
    expect((await store.load(key)).version).toBe(2);
  });

  it('ignores incomplete versions (no metadata.json) but never reuses their numbers', async () => {
    await store.save({ ...key, result });
    await mkdir(path.join(root, key.strategy, 'AAPL_1h_v2'));
    expect(await store.versions(key)).toEqual([1]);
    expect((await store.save({ ...key, result })).version).toBe(3);
    expect(await store.latestVersion(key)).toBe(3);
  });

  it('rejects names that could escape the models folder, naming the field', async () => {
    for (const [field, bad] of [
      ['strategy', '../evil'],
      ['strategy', 'a/b'],
      ['symbol', '..'],
      ['symbol', 'AAPL\\x'],
      ['timeframe', '1h_v1'],
      ['symbol', ''],
    ] as const) {
      const error = await store.save({ ...key, [field]: bad, result }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual({ field });
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('reports missing models and versions as NotFoundError', async () => {
    await expect(store.load(key)).rejects.toBeInstanceOf(NotFoundError);
    await store.save({ ...key, result });
    await expect(store.load(key, 9)).rejects.toBeInstanceOf(NotFoundError);
  });
});
