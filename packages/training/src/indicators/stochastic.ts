import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { rollingMax, rollingMin } from './rolling-extremes';
import { rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/** The two Stochastic lines. */
export interface StochasticLines {
  /** %K (smoothed by `smoothK` when above 1). */
  k: Float64Array;
  /** %D, the `dPeriod` SMA of %K. */
  d: Float64Array;
}

/**
 * Stochastic oscillator: raw %K = 100 * (close - lowest low) / (highest high - lowest low) over
 * `kPeriod`, %K = SMA(raw %K, `smoothK`), %D = SMA(%K, `dPeriod`). With `smoothK = 1` this is the
 * fast stochastic of technicalindicators; Python KTRDR defaulted to `smooth_k = 3` (slow stochastic).
 * A flat window (high == low) gives 50, as in Python KTRDR (technicalindicators gives 0). Unlike
 * Python's `min_periods=1` smoothing, values stay NaN until every window is full.
 */
export function stochastic(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  kPeriod: number,
  dPeriod: number,
  smoothK: number,
): StochasticLines {
  const highest = rollingMax(high, kPeriod);
  const lowest = rollingMin(low, kPeriod);
  const raw = new Float64Array(close.length);
  for (let i = 0; i < raw.length; i++) {
    const range = highest[i]! - lowest[i]!;
    raw[i] = range === 0 ? 50 : (100 * (close[i]! - lowest[i]!)) / range;
  }
  const k = smoothK > 1 ? rollingMean(raw, smoothK) : raw;
  return { k, d: rollingMean(k, dPeriod) };
}

/** Registry entry for {@link stochastic}. */
export const STOCHASTIC_DEFINITION: IndicatorDefinition = {
  name: 'Stochastic',
  aliases: ['stoch', 'stochastic_oscillator'],
  description: 'Stochastic oscillator %K and %D (0-100)',
  params: [
    periodSpec(14, 'k_period', '%K lookback'),
    periodSpec(3, 'd_period', '%D smoothing'),
    periodSpec(3, 'smooth_k', '%K smoothing (1 = fast stochastic)'),
  ],
  outputs: ['k', 'd'],
  fuzzyInput: 'k',
  compute(bars, params) {
    const lines = stochastic(
      bars.high,
      bars.low,
      bars.close,
      numberParam(params, 'k_period'),
      numberParam(params, 'd_period'),
      numberParam(params, 'smooth_k'),
    );
    return { k: lines.k, d: lines.d };
  },
};
