import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { rollingMax, rollingMin } from './rolling-extremes';
import type { IndicatorDefinition } from './types';

/**
 * Williams %R = -100 * (highest high - close) / (highest high - lowest low), in [-100, 0]; first value
 * at index `period - 1`. A flat window gives -50 (mid-range) rather than dividing by zero.
 */
export function williamsR(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  const highest = rollingMax(high, period);
  const lowest = rollingMin(low, period);
  const out = new Float64Array(close.length);
  for (let i = 0; i < out.length; i++) {
    const range = highest[i]! - lowest[i]!;
    out[i] = range === 0 ? -50 : (-100 * (highest[i]! - close[i]!)) / range;
  }
  return out;
}

/** Registry entry for {@link williamsR}. */
export const WILLIAMS_R_DEFINITION: IndicatorDefinition = {
  name: 'WilliamsR',
  aliases: ['williams', 'willr', 'williams_percent_r'],
  description: 'Williams %R (-100 to 0)',
  params: [periodSpec(14)],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({
    value: williamsR(bars.high, bars.low, bars.close, numberParam(params, 'period')),
  }),
};
