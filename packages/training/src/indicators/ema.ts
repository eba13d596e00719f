import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import { exponentialAverage } from './smoothing';
import { ratioTo } from './sma';
import type { IndicatorDefinition } from './types';

/**
 * Exponential moving average, `alpha = 2 / (period + 1)`, seeded with the SMA of the first `period`
 * values (first output at index `period - 1`), as technicalindicators and TA-Lib do. Python KTRDR used
 * pandas `ewm(adjust=False)`, seeded with the first value; the two converge within a few periods.
 */
export function ema(values: Float64Array, period: number): Float64Array {
  return exponentialAverage(values, period);
}

/** Registry entry for {@link ema}. */
export const EMA_DEFINITION: IndicatorDefinition = {
  name: 'EMA',
  aliases: ['exponential_moving_average'],
  description: 'Exponential moving average',
  params: [periodSpec(20), SOURCE_SPEC],
  outputs: ['value', 'ratio'],
  fuzzyInput: 'ratio',
  compute(bars, params) {
    const source = priceSeries(bars, sourceParam(params));
    const value = ema(source, numberParam(params, 'period'));
    return { value, ratio: ratioTo(source, value) };
  },
};
