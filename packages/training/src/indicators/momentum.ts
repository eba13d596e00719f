import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import type { IndicatorDefinition } from './types';

/** Momentum: `values[i] - values[i - period]` (price units); first value at index `period`. */
export function momentum(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = period; i < out.length; i++) out[i] = values[i]! - values[i - period]!;
  return out;
}

/** Registry entry for {@link momentum}. */
export const MOMENTUM_DEFINITION: IndicatorDefinition = {
  name: 'Momentum',
  aliases: ['mom'],
  description: 'Price change over `period` bars',
  params: [periodSpec(10), SOURCE_SPEC],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({
    value: momentum(priceSeries(bars, sourceParam(params)), numberParam(params, 'period')),
  }),
};
