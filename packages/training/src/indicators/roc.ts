import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import type { IndicatorDefinition } from './types';

/** Rate of change in percent: `100 * (values[i] / values[i - period] - 1)`; first value at `period`. */
export function roc(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = period; i < out.length; i++) {
    const base = values[i - period]!;
    out[i] = (100 * (values[i]! - base)) / base;
  }
  return out;
}

/** Registry entry for {@link roc}. */
export const ROC_DEFINITION: IndicatorDefinition = {
  name: 'ROC',
  aliases: ['rate_of_change'],
  description: 'Rate of change over `period` bars, percent',
  params: [periodSpec(10), SOURCE_SPEC],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({
    value: roc(priceSeries(bars, sourceParam(params)), numberParam(params, 'period')),
  }),
};
