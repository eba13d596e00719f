import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import { wilderAverage } from './smoothing';
import type { IndicatorDefinition } from './types';

/**
 * Relative Strength Index with Wilder smoothing: average gain and loss are seeded with the mean of
 * the first `period` changes, so the first value is at index `period`. A window without losses is
 * 100, one without any movement 50 (Python KTRDR's convention; technicalindicators says 0 there).
 */
export function rsi(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const gains = new Float64Array(n).fill(NaN);
  const losses = new Float64Array(n).fill(NaN);
  for (let i = 1; i < n; i++) {
    const change = values[i]! - values[i - 1]!;
    gains[i] = change > 0 ? change : 0;
    losses[i] = change < 0 ? -change : 0;
  }
  const avgGain = wilderAverage(gains, period);
  const avgLoss = wilderAverage(losses, period);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = avgGain[i]!;
    const l = avgLoss[i]!;
    if (l === 0) out[i] = g === 0 ? 50 : 100;
    else out[i] = 100 - 100 / (1 + g / l);
  }
  return out;
}

/** Registry entry for {@link rsi}. */
export const RSI_DEFINITION: IndicatorDefinition = {
  name: 'RSI',
  aliases: ['relative_strength_index'],
  description: 'Relative Strength Index (0-100), Wilder smoothing',
  params: [{ ...periodSpec(14), min: 2 }, SOURCE_SPEC],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({
    value: rsi(priceSeries(bars, sourceParam(params)), numberParam(params, 'period')),
  }),
};
