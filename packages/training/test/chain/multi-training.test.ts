import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingService } from '../../src/service/training-service';
import { resampleBars } from '../support/resample-bars';
import { regimeBars, storeSimulatedBars } from './support/fixture-bars';
import { Cleanup } from './support/harness';
import { smallStrategyYaml } from './support/strategies';

/**
 * Multi-timeframe and multi-symbol trainings through the whole chain (service -> operation ->
 * in-process adapter -> sessions -> worker -> model store), on simulated bars, then predictions
 * with the saved models. Each strategy declares what it trains on; the requests name nothing.
 */
const HOUR = 3_600_000;
const cleanup = new Cleanup();
let modelsDir: string;
let training: TrainingService;

beforeAll(async () => {
  const dataDir = await cleanup.tempDir();
  modelsDir = await cleanup.tempDir();
  const aapl = regimeBars({ bars: 1600, seed: 5 });
  await storeSimulatedBars(dataDir, 'AAPL', '1h', aapl);
  await storeSimulatedBars(dataDir, 'AAPL', '4h', resampleBars(aapl, 4 * HOUR));
  await storeSimulatedBars(dataDir, 'MSFT', '1h', regimeBars({ bars: 1200, seed: 8 }));
  const data = cleanup.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
    d.close(),
  );
  training = cleanup.add(new TrainingService({ data, maxConcurrentSessions: 1 }), (t) => t.close());
}, 60_000);

afterAll(() => cleanup.run());

async function readJson(model: string, file: string): Promise<Record<string, unknown>> {
  const [strategy, version] = model.split('/') as [string, string];
  return JSON.parse(await readFile(path.join(modelsDir, strategy, version, file), 'utf8')) as Record<
    string,
    unknown
  >;
}

async function train(yaml: string) {
  const handle = await training.startTraining({ strategyYaml: yaml, epochs: 2, seed: 1 });
  return { outcome: await handle.result(), info: handle.describe() };
}

describe('multi-timeframe training', () => {
  let model: string;

  it('trains on every timeframe the strategy declares, base first, with prefixed features', async () => {
    const { outcome, info } = await train(smallStrategyYaml({ name: 'chain_mtf', timeframes: ['4h', '1h'] }));
    expect(outcome.model).toBe('chain_mtf/AAPL_1h-4h_v1');
    model = outcome.model!;
    expect(info.metadata).toMatchObject({
      symbols: ['AAPL'],
      timeframes: ['1h', '4h'],
      base_timeframe: '1h',
    });
    const metadata = await readJson(model, 'metadata.json');
    expect(metadata).toMatchObject({
      symbols: ['AAPL'],
      timeframes: ['1h', '4h'],
      base_timeframe: '1h',
      warnings: [],
      simulated: true,
    });
    const features = (await readJson(model, 'features.json'))['feature_names'] as string[];
    expect(features.filter((f) => f.startsWith('1h_'))).toHaveLength(features.length / 2);
    expect(features).toContain('4h_rsi_low');
    expect(features).toContain('4h_roc_rising_lag1');
  }, 60_000);

  it('predicts with the model, reading both timeframes', async () => {
    const result = await training.predict({ model, symbol: 'AAPL', bars: 4 });
    expect(result).toMatchObject({ timeframe: '1h', timeframes: ['1h', '4h'], simulated: true });
    expect(result.predictions).toHaveLength(4);
    await expect(training.predict({ model, symbol: 'AAPL', timeframe: '4h' })).rejects.toThrow(
      /predicts on 1h bars \(it reads 1h, 4h\)/,
    );
  });

  it('fails loudly, naming the series, when a declared timeframe has no stored bars', async () => {
    const handle = await training.startTraining({
      strategyYaml: smallStrategyYaml({ name: 'chain_mtf', symbols: ['MSFT'], timeframes: ['1h', '4h'] }),
      epochs: 2,
    });
    await expect(handle.result()).rejects.toThrow(/No 4h data stored for MSFT/);
  });
});

describe('multi-symbol training', () => {
  let model: string;

  it('trains one model on every symbol with per-symbol test metrics', async () => {
    const { outcome, info } = await train(smallStrategyYaml({ name: 'chain_ms', symbols: ['AAPL', 'MSFT'] }));
    expect(outcome.model).toBe('chain_ms/AAPL-MSFT_1h_v1');
    model = outcome.model!;
    expect(info.result_summary).toMatchObject({ symbols: ['AAPL', 'MSFT'], timeframes: ['1h'] });
    const metrics = await readJson(model, 'metrics.json');
    const test = metrics['test'] as { samples: number };
    const bySymbol = metrics['test_by_symbol'] as Record<string, { samples: number; accuracy: number }>;
    expect(Object.keys(bySymbol)).toEqual(['AAPL', 'MSFT']);
    expect(bySymbol['AAPL']!.samples + bySymbol['MSFT']!.samples).toBe(test.samples);
    expect(await readJson(model, 'metadata.json')).toMatchObject({
      symbols: ['AAPL', 'MSFT'],
      timeframes: ['1h'],
    });
  }, 60_000);

  it('predicts for each of its symbols', async () => {
    for (const symbol of ['AAPL', 'MSFT']) {
      const result = await training.predict({ model, symbol, bars: 3 });
      expect(result).toMatchObject({ symbol, timeframe: '1h', simulated: true });
      expect(result.predictions).toHaveLength(3);
    }
  });

  it('lets a symbol override what the strategy declares', async () => {
    const handle = await training.startTraining({
      strategyYaml: smallStrategyYaml({ name: 'chain_ms', symbols: ['AAPL', 'MSFT'] }),
      symbols: ['MSFT'],
      epochs: 2,
    });
    expect((await handle.result()).model).toBe('chain_ms/MSFT_1h_v1');
  }, 60_000);
});
