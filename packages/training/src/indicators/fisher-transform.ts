import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { rollingMax, rollingMin } from './rolling-extremes';
import { exponentialAverage } from './smoothing';
import type { IndicatorDefinition } from './types';

/** The Fisher line and its trigger. */
export interface FisherLines {
  /** Smoothed Fisher transform of the position of hl2 in the `period` range. */
  fisher: Float64Array;
  /** The Fisher line one bar earlier. */
  signal: Float64Array;
}

/**
 * Fisher transform as Python KTRDR computes it: hl2's position in the `period`-bar high-low range,
 * scaled to -1..1 (0 for a range without width) and clipped to +/-0.999, goes through
 * 0.5 ln((1 + x) / (1 - x)) and an EMA of `smoothing` bars (SMA-seeded like our EMA; Python seeded it
 * with the first value). First value at `period + smoothing - 2`; the signal starts a bar later.
 */
export function fisherTransform(
  high: Float64Array,
  low: Float64Array,
  period: number,
  smoothing: number,
): FisherLines {
  const n = high.length;
  const highest = rollingMax(high, period);
  const lowest = rollingMin(low, period);
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const range = highest[i]! - lowest[i]!;
    const position = range === 0 ? 0 : (2 * ((high[i]! + low[i]!) / 2 - lowest[i]!)) / range - 1;
    const x = Math.min(0.999, Math.max(-0.999, position)); // NaN (warm-up) stays NaN
    raw[i] = 0.5 * Math.log((1 + x) / (1 - x));
  }
  const fisher = exponentialAverage(raw, smoothing);
  const signal = new Float64Array(n).fill(NaN);
  signal.set(fisher.subarray(0, Math.max(0, n - 1)), 1);
  return { fisher, signal };
}

/** Registry entry for {@link fisherTransform}; names, defaults and outputs are Python KTRDR's. */
export const FISHER_TRANSFORM_DEFINITION: IndicatorDefinition = {
  name: 'FisherTransform',
  aliases: ['fisher'],
  description: 'Fisher transform of the price position in its range, and its one-bar trigger',
  params: [periodSpec(10, 'period', 'high-low range lookback'), periodSpec(3, 'smoothing', 'EMA period')],
  outputs: ['fisher', 'signal'],
  fuzzyInput: 'fisher',
  compute(bars, params) {
    const lines = fisherTransform(
      bars.high,
      bars.low,
      numberParam(params, 'period'),
      numberParam(params, 'smoothing'),
    );
    return { fisher: lines.fisher, signal: lines.signal };
  },
};
