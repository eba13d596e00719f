import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ValidationError } from '@ktrdr/core';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareMultiSymbolData, sliceRows, type TrainingData } from '../src/features/index';
import type { MlpConfig } from '../src/model/mlp-config';
import { initMlpWeights } from '../src/trainer/init-mlp-weights';
import { predict, releasePredictor } from '../src/onnx/predict';
import { mlpConfigFromStrategy } from '../src/session/strategy-to-mlp';
import { ModelStore } from '../src/storage/model-store';
import { parseStrategy } from '../src/strategy/index';
import { trainMlp } from '../src/trainer/train-mlp';
import { randomWalkBars } from './support/random-walk-bars';

const strategy = parseStrategy(`
name: embed-test
indicators:
  - name: rsi
    period: 14
fuzzy_sets:
  rsi:
    low: [0, 30, 50]
    high: [50, 70, 100]
model:
  architecture: { hidden_layers: [6], activation: tanh, dropout: 0 }
  features: { lookback_periods: 1, scale_features: true }
  training: { learning_rate: 0.01, batch_size: 16, epochs: 2, optimizer: adam }
training:
  labels: { zigzag_threshold: 0.02, label_lookahead: 30 }
`);
const data = prepareMultiSymbolData(
  [
    { symbol: 'AAPL', input: randomWalkBars({ bars: 300, seed: 1, volatility: 0.006 }) },
    { symbol: 'MSFT', input: randomWalkBars({ bars: 300, seed: 2, volatility: 0.01 }) },
  ],
  strategy,
);
const part = (d: TrainingData, range: TrainingData['split']['train']) => ({
  ...sliceRows(d, range),
  features: d.columns.length,
});
const splits = {
  train: part(data, data.split.train),
  validation: part(data, data.split.validation),
  test: part(data, data.split.test),
};
const config: MlpConfig = {
  ...mlpConfigFromStrategy(
    { ...strategy, model: { ...strategy.model, symbol_embedding_dim: 3 } },
    { seed: 1 },
    undefined,
    2,
  ),
};
const root = await mkdtemp(path.join(tmpdir(), 'ktrdr-embed-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('symbol embeddings', () => {
  it('maps symbol_embedding_dim onto the trainer config with the number of symbols', () => {
    expect(config.symbolEmbedding).toEqual({ dim: 3, symbols: 2 });
    expect(mlpConfigFromStrategy(strategy).symbolEmbedding).toBeUndefined();
  });

  it('need every row symbol', async () => {
    const { groups: _dropped, ...ungrouped } = splits.train;
    const error = await trainMlp({ ...splits, train: ungrouped }, config).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/train\.groups is missing/);
  });

  it.each(['adam', 'rmsprop', 'sgd'] as const)(
    'are learned alike by the fused (WASM SIMD and JS kernels) and TF.js engines (%s, dropout)',
    async (optimizer) => {
      const cfg: MlpConfig = {
        ...config,
        optimizer,
        dropout: 0.2,
        learningRate: optimizer === 'sgd' ? 0.1 : 0.01,
      };
      const simd = await trainMlp(splits, cfg, { engine: 'cpu-fused', kernels: 'wasm-simd' });
      const js = await trainMlp(splits, cfg, { engine: 'cpu-fused', kernels: 'js' });
      const tfjs = await trainMlp(splits, cfg, { engine: 'tfjs', backend: 'cpu' });
      const table = (r: typeof simd) => Array.from(r.weights.embedding!.table);
      const initial = Array.from(initMlpWeights(data.columns.length, cfg).embedding!.table);
      // The table was trained (it moved), the same way by every engine.
      expect(Math.max(...table(simd).map((v, i) => Math.abs(v - initial[i]!)))).toBeGreaterThan(1e-3);
      table(js).forEach((v, i) => expect(v).toBeCloseTo(table(simd)[i]!, 5));
      table(tfjs).forEach((v, i) => expect(v).toBeCloseTo(table(simd)[i]!, 4));
      expect(tfjs.history[1]!.loss).toBeCloseTo(simd.history[1]!.loss, 4);
      expect(tfjs.test!.accuracy).toBeCloseTo(simd.test!.accuracy, 2);
    },
  );

  it('are saved, exported to ONNX and used at inference with the symbol', async () => {
    const result = await trainMlp(splits, config);
    const embedding = result.weights.embedding!;
    expect(embedding.dim).toBe(3);
    expect(result.weights.inputSize).toBe(data.columns.length + 3);
    // Trained: the table moved away from its initial draw, differently for each symbol.
    expect(embedding.table.slice(0, 3)).not.toEqual(embedding.table.slice(3, 6));

    const store = new ModelStore({ root });
    const saved = await store.save({
      strategy: 'embed-test',
      symbol: 'AAPL-MSFT',
      timeframe: '1h',
      result,
      features: { names: [...data.columns] },
      trainedOn: { symbols: ['AAPL', 'MSFT'], timeframes: ['1h'], base_timeframe: '1h', warnings: [] },
    });
    const stored = JSON.parse(
      await readFile(path.join(saved.directory, 'symbol-embedding.json'), 'utf8'),
    ) as {
      symbols: string[];
    };
    expect(stored.symbols).toEqual(['AAPL', 'MSFT']);
    const model = await store.load(saved.key, saved.version);
    expect(model.weights.embedding?.symbols).toEqual(['AAPL', 'MSFT']);

    const rows = 5;
    const x = data.x.subarray(
      data.split.test.start * data.columns.length,
      (data.split.test.start + rows) * data.columns.length,
    );
    const input = (symbol: number) => ({ x, rows, symbols: new Int32Array(rows).fill(symbol) });
    const onnxAapl = await predict(model, input(0));
    const onnxMsft = await predict(model, input(1));
    const tfjsMsft = await predict(model, input(1), { runtime: 'tfjs', backend: 'cpu' });
    // The symbol changes the answer, and both runtimes agree on it.
    expect(Array.from(onnxAapl.probabilities)).not.toEqual(Array.from(onnxMsft.probabilities));
    Array.from(onnxMsft.probabilities).forEach((p, i) =>
      expect(p).toBeCloseTo(tfjsMsft.probabilities[i]!, 5),
    );
    await expect(predict(model, { x, rows })).rejects.toThrow(
      /give each row's symbol index \(0 to 1: AAPL, MSFT\)/,
    );
    await releasePredictor(model);
  }, 30_000);
});
