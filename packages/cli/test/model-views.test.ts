import { describe, expect, it } from 'vitest';
import { type ModelDetail, modelFields, perSymbolTable } from '../src/commands/models/model-views';

const model: ModelDetail = {
  name: 'mtf/AAPL-MSFT_1h-4h_v1',
  strategy: 'mtf',
  symbol: 'AAPL-MSFT',
  timeframe: '1h-4h',
  version: 1,
  latest: true,
  created_at: '2026-12-07T09:00:00.000Z',
  backend: 'cpu-fused',
  test_accuracy: 0.5,
  simulated: true,
  directory: '/models/mtf/AAPL-MSFT_1h-4h_v1',
  metrics: {
    test_by_symbol: {
      AAPL: { accuracy: 0.6, f1_score: 0.5, samples: 10 },
      MSFT: { accuracy: 0.4, f1_score: 0.3, samples: 12 },
    },
  },
  features: [],
  metadata: {
    symbols: ['AAPL', 'MSFT'],
    timeframes: ['1h', '4h'],
    base_timeframe: '1h',
    warnings: ['model.input_size is ignored: the input size comes from the features'],
  },
};

describe('model views', () => {
  it('show the symbols, the timeframes with the base, and every strategy warning', () => {
    const fields = Object.fromEntries(modelFields(model).map((f) => [f.key, f.value]));
    expect(fields['symbols']).toBe('AAPL, MSFT');
    expect(fields['timeframes']).toBe('1h (base), 4h');
    expect(fields['warning_1']).toBe('model.input_size is ignored: the input size comes from the features');
  });

  it('fall back to the name for models saved before multi-symbol training', () => {
    const older = { ...model, symbol: 'AAPL', timeframe: '1h', metadata: {}, metrics: {} };
    const fields = Object.fromEntries(modelFields(older).map((f) => [f.key, f.value]));
    expect(fields['symbols']).toBe('AAPL');
    expect(fields['timeframes']).toBe('1h');
    expect(perSymbolTable(older)).toBeUndefined();
  });

  it('tabulate the test metrics of each symbol', () => {
    expect(perSymbolTable(model)?.rows).toEqual([
      { symbol: 'AAPL', accuracy: 0.6, f1: 0.5, samples: 10 },
      { symbol: 'MSFT', accuracy: 0.4, f1: 0.3, samples: 12 },
    ]);
  });
});
