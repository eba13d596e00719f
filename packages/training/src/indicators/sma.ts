import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import { rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/** Simple moving average; NaN for the first `period - 1` bars. */
export function sma(values: Float64Array, period: number): Float64Array {
  return rollingMean(values, period);
}

/** `values / average`: 1.0 at the average, above 1 above it. Python KTRDR fuzzified MAs this way. */
export function ratioTo(values: Float64Array, average: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = values[i]! / average[i]!;
  return out;
}

/** Registry entry for {@link sma}. */
export const SMA_DEFINITION: IndicatorDefinition = {
  name: 'SMA',
  aliases: ['simple_moving_average'],
  description: 'Simple moving average',
  params: [periodSpec(20), SOURCE_SPEC],
  outputs: ['value', 'ratio'],
  fuzzyInput: 'ratio',
  compute(bars, params) {
    const source = priceSeries(bars, sourceParam(params));
    const value = sma(source, numberParam(params, 'period'));
    return { value, ratio: ratioTo(source, value) };
  },
};
