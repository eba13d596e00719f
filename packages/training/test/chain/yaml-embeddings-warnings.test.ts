import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError, loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONNX_INPUT, ONNX_SYMBOL_INPUT } from '../../src/onnx/onnx-export';
import { loadOnnxRuntime } from '../../src/onnx/onnx-session';
import { TrainingService } from '../../src/service/training-service';
import { regimeBars, storeSimulatedBars } from './support/fixture-bars';
import { Cleanup, rejectionOf } from './support/harness';
import { smallStrategyYaml } from './support/strategies';

/**
 * What a strategy file says reaches the model through the whole chain (service -> operation ->
 * worker -> model store -> ONNX -> predict): `model.symbol_embedding_dim` gives a model with a
 * learned symbol embedding and an ONNX `symbol` input, and the keys Python KTRDR only warns about
 * end up as warnings in metadata.json and in the operation's result.
 */
const UNIVERSAL = fileURLToPath(
  new URL('../../../../strategies/multi-symbol-universal.yaml', import.meta.url),
);
const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL'];

const cleanup = new Cleanup();
let modelsDir: string;
let training: TrainingService;

beforeAll(async () => {
  const dataDir = await cleanup.tempDir();
  modelsDir = await cleanup.tempDir();
  for (const [i, symbol] of [...SYMBOLS, 'SPY'].entries()) {
    await storeSimulatedBars(dataDir, symbol, '1h', regimeBars({ bars: 900, seed: 11 + i }));
  }
  const data = cleanup.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
    d.close(),
  );
  training = cleanup.add(new TrainingService({ data, maxConcurrentSessions: 1 }), (t) => t.close());
}, 30_000);

afterAll(() => cleanup.run());

async function readJson(model: string, file: string): Promise<Record<string, unknown>> {
  const [strategy, version] = model.split('/') as [string, string];
  return JSON.parse(await readFile(path.join(modelsDir, strategy, version, file), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('a symbol embedding declared in the YAML', () => {
  let model: string;

  it('trains a model whose ONNX export takes the symbol as a second input', async () => {
    const handle = await training.startTraining({ strategyPath: UNIVERSAL, epochs: 2, seed: 1 });
    model = (await handle.result()).model!;
    expect(model).toBe('multi_symbol_universal/AAPL-MSFT-GOOGL_1h_v1');
    const embedding = await readJson(model, 'symbol-embedding.json');
    expect(embedding).toMatchObject({ dim: 8, symbols: SYMBOLS });
    expect(await readJson(model, 'metadata.json')).toMatchObject({ symbols: SYMBOLS });

    const [strategy, version] = model.split('/') as [string, string];
    const ort = await loadOnnxRuntime();
    const session = await ort.InferenceSession.create(path.join(modelsDir, strategy, version, 'model.onnx'));
    try {
      expect(session.inputNames).toEqual([ONNX_INPUT, ONNX_SYMBOL_INPUT]);
      // The same features with another symbol give other probabilities: the embedding is in use.
      const features = ((await readJson(model, 'features.json'))['feature_names'] as string[]).length;
      const x = new ort.Tensor('float32', new Float32Array(features).fill(0.5), [1, features]);
      const outputs = [];
      for (const row of [0n, 1n, 2n]) {
        const symbol = new ort.Tensor('int64', BigInt64Array.of(row), [1]);
        const result = await session.run({ [ONNX_INPUT]: x, [ONNX_SYMBOL_INPUT]: symbol });
        outputs.push(Array.from(result[session.outputNames[0]!]!.data as Float32Array));
      }
      expect(outputs[0]).not.toEqual(outputs[1]);
      expect(outputs[1]).not.toEqual(outputs[2]);
    } finally {
      await session.release();
    }
  }, 60_000);

  it('predicts for each of its symbols, with ONNX Runtime and TF.js alike', async () => {
    for (const symbol of SYMBOLS) {
      const onnx = await training.predict({ model, symbol, bars: 3 });
      const tfjs = await training.predict({ model, symbol, bars: 3, runtime: 'tfjs' });
      expect(onnx).toMatchObject({ symbol, runtime: 'onnx', simulated: true });
      expect(onnx.predictions).toHaveLength(3);
      onnx.predictions.forEach((row, i) => {
        const other = tfjs.predictions[i]!;
        expect(row.signal).toBe(other.signal);
        for (const label of ['BUY', 'HOLD', 'SELL'] as const) {
          expect(row.probabilities[label]).toBeCloseTo(other.probabilities[label], 5);
        }
      });
    }
  });

  it('refuses a symbol the model has no embedding for', async () => {
    const error = await rejectionOf(training.predict({ model, symbol: 'SPY' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/embeds its symbols \(AAPL, MSFT, GOOGL\) and cannot predict SPY/);
  });
});

describe('keys Python KTRDR only warns about', () => {
  it('train with their warnings kept in metadata.json and the operation', async () => {
    const yaml =
      smallStrategyYaml({ name: 'chain_warned' })
        .replace('model:\n  type: mlp\n', 'model:\n  type: mlp\n  input_size: 42\n')
        .replace('    lookback_periods: 1\n', '    lookback_periods: 1\n    include_price_context: true\n') +
      'risk_managment:\n  risk_per_trade: 0.02\n';
    const handle = await training.startTraining({
      strategyYaml: yaml,
      strategyFile: 'warned.yaml',
      epochs: 2,
    });
    const outcome = await handle.result();
    const warnings = [
      expect.stringMatching(/^model\.input_size \(line \d+\): old model format/),
      expect.stringMatching(/^model\.features\.include_price_context \(line \d+\): is not applied/),
      expect.stringMatching(
        /^risk_managment \(line \d+\): unknown section, ignored; did you mean "risk_management"\?$/,
      ),
    ];
    const metadata = await readJson(outcome.model!, 'metadata.json');
    expect(metadata['warnings']).toEqual(warnings);
    const info = handle.describe();
    expect(info.result_summary?.['warnings']).toEqual(metadata['warnings']);
    expect(info.metadata['warnings']).toEqual(metadata['warnings']);
    expect((await training.getModel(outcome.model!)).metadata['warnings']).toEqual(metadata['warnings']);
  }, 60_000);
});
