import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { trainingApiContract } from '../src/contract/training-api-contract';
import { formatModelName, parseModelName, validateModelKey } from '../src/storage/model-names';
import { STRATEGY_NAME_PATTERN } from '../src/strategy/strategy-name';

describe('one model-name rule', () => {
  it('parses what it formats, latest when no version is named', () => {
    const key = { strategy: 'rsi_mean.v2', symbol: 'AAPL-MSFT', timeframe: '1h-4h' };
    expect(parseModelName(formatModelName(key, 3))).toEqual({ key, version: 3 });
    expect(parseModelName('rsi_mean.v2/AAPL-MSFT_1h-4h_latest')).toEqual({ key, version: 'latest' });
    expect(parseModelName('rsi_mean.v2/AAPL-MSFT_1h-4h')).toEqual({ key, version: 'latest' });
  });

  it.each(['../AAPL_1h', '.hidden/AAPL_1h_v1', 'a..b/AAPL_1h', `${'s'.repeat(65)}/AAPL_1h`, 'rsi/AAPL_1h_v'])(
    'refuses %s at parse time, as the store would refuse its key',
    (name) => {
      const error = (() => {
        try {
          parseModelName(name);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toMatchObject({ field: 'model' });
    },
  );

  it('a parsed key is one the store accepts', () => {
    expect(() => validateModelKey(parseModelName('mlp-3/EURUSD_1d_v12').key)).not.toThrow();
  });
});

describe('one strategy-name pattern', () => {
  it('the API takes exactly the names a model key takes', () => {
    const start = trainingApiContract.routes.start.input;
    for (const name of ['rsi_mean', 'v3.trend-follow', 'x'.repeat(64)]) {
      expect(STRATEGY_NAME_PATTERN.test(name)).toBe(true);
      expect(start.safeParse({ strategy_name: name }).success).toBe(true);
      expect(() => validateModelKey({ strategy: name, symbol: 'AAPL', timeframe: '1h' })).not.toThrow();
    }
    for (const name of ['../etc', 'a b', '-x', 'x'.repeat(65)]) {
      expect(start.safeParse({ strategy_name: name }).success).toBe(false);
      expect(() => validateModelKey({ strategy: name, symbol: 'AAPL', timeframe: '1h' })).toThrow(
        ValidationError,
      );
    }
  });
});
