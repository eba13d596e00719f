import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/** Lambert's constant: scales CCI so that roughly 70-80% of values fall within +/-100. */
const LAMBERT = 0.015;

/**
 * Commodity Channel Index: (typical price - SMA(tp)) / (0.015 * mean absolute deviation of tp from
 * that SMA), first value at index `period - 1`. A window with no deviation gives 0.
 */
export function cci(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  const n = close.length;
  const typical = new Float64Array(n);
  for (let i = 0; i < n; i++) typical[i] = (high[i]! + low[i]! + close[i]!) / 3;
  const mean = rollingMean(typical, period);
  const out = new Float64Array(n).fill(NaN);
  for (let i = period - 1; i < n; i++) {
    const m = mean[i]!;
    if (Number.isNaN(m)) continue;
    let deviation = 0;
    for (let j = i - period + 1; j <= i; j++) deviation += Math.abs(typical[j]! - m);
    deviation /= period;
    out[i] = deviation === 0 ? 0 : (typical[i]! - m) / (LAMBERT * deviation);
  }
  return out;
}

/** Registry entry for {@link cci}. */
export const CCI_DEFINITION: IndicatorDefinition = {
  name: 'CCI',
  aliases: ['commodity_channel_index'],
  description: 'Commodity Channel Index',
  params: [periodSpec(20)],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({
    value: cci(bars.high, bars.low, bars.close, numberParam(params, 'period')),
  }),
};
