import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_UNIVERSE } from '@ktrdr/ib-sim';
import { describe, expect, it } from 'vitest';
import { sampleStrategyPath } from '../src/strategy/bundled-strategies';
import { loadStrategyFile } from '../src/strategy/index';

/** The repository's strategies/ folder. */
const folder = fileURLToPath(new URL('../../../strategies/', import.meta.url));

/** Every file of the folder, with the warnings it must yield (none but for Python's old keys). */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  'neuro-fuzzy-sample.yaml': [],
  'multi-timeframe-trend.yaml': [],
  'multi-symbol-universal.yaml': [],
  'v3-forex-multi-timeframe.yaml': [],
  'python-v2-example.yaml': [
    'model.input_size (line 106): old model format (as Python KTRDR warns): ignored, the input size follows from the features',
    'model.features.include_price_context (line 113): is not applied: the model reads fuzzy memberships only',
  ],
  'python-v3-example.yaml': [],
  'python-parity-indicators.yaml': [],
};

describe('the strategies/ folder', () => {
  it('holds exactly the files listed here, and each parses with the warnings it should give', async () => {
    const files = (await readdir(folder)).filter((file) => file.endsWith('.yaml')).sort();
    expect(files).toEqual(Object.keys(EXPECTED_WARNINGS).sort());
    for (const file of files) {
      const strategy = await loadStrategyFile(`${folder}${file}`);
      expect({ file, warnings: strategy.warnings ?? [] }).toEqual({
        file,
        warnings: EXPECTED_WARNINGS[file],
      });
      // Every example declares what it trains on, so `ktrdr models train FILE` needs no symbol.
      expect(strategy.training_data, file).toBeDefined();
    }
  });

  it('declares what each example is about: several timeframes, several symbols, v3 inputs per timeframe', async () => {
    const load = (file: string) => loadStrategyFile(`${folder}${file}`);
    expect((await load('multi-timeframe-trend.yaml')).training_data).toEqual({
      symbols: ['AAPL'],
      timeframes: ['1h', '4h', '1d'],
      base_timeframe: '1h',
    });
    const multiSymbol = await load('multi-symbol-universal.yaml');
    expect(multiSymbol.training_data?.symbols).toEqual(['AAPL', 'MSFT', 'GOOGL']);
    expect(multiSymbol.model.symbol_embedding_dim).toBe(8);
    const v3 = await load('v3-forex-multi-timeframe.yaml');
    expect(v3.training_data?.symbols).toEqual(['EUR.USD', 'GBP.USD']);
    expect(v3.fuzzy_sets.map((input) => [input.input, input.timeframes ?? 'all'])).toEqual([
      ['rsi_fast', ['1h']],
      ['macd_momentum', ['1h']],
      ['rsi_slow', 'all'],
      ['trend_strength', ['4h']],
    ]);
    const pythonV3 = await load('python-v3-example.yaml');
    expect(pythonV3.fuzzy_sets.map((input) => [input.input, input.indicatorKey, input.output])).toEqual([
      ['rsi_momentum', 'rsi_14', 'value'],
      ['macd_direction', 'macd_12_26_9', 'macd'],
      ['trend_strength', 'adx_14', 'adx'],
    ]);
  });

  it('keeps its sample identical to the one the training package ships', async () => {
    expect(await readFile(`${folder}neuro-fuzzy-sample.yaml`, 'utf8')).toBe(
      await readFile(sampleStrategyPath(), 'utf8'),
    );
  });

  it('names only symbols the IB simulator serves', async () => {
    const served = new Set(DEFAULT_UNIVERSE.map((instrument) => instrument.symbol));
    for (const file of Object.keys(EXPECTED_WARNINGS)) {
      const strategy = await loadStrategyFile(`${folder}${file}`);
      for (const symbol of strategy.training_data?.symbols ?? []) {
        expect({ file, symbol, served: served.has(symbol) }).toEqual({ file, symbol, served: true });
      }
    }
  });
});
