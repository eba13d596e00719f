import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/** The RVI line and its signal line. */
export interface RviLines {
  /** SMA of the weighted close - open over SMA of the weighted high - low; first value at `period + 2`. */
  rvi: Float64Array;
  /** `signalPeriod`-bar SMA of the RVI. */
  signal: Float64Array;
}

/**
 * Relative Vigor Index as Python KTRDR computes it: close - open and high - low are each smoothed
 * with the symmetric weights 1, 2, 2, 1 over four bars (divided by 6), averaged over `period` bars,
 * and divided. A window without any range (every bar's high equals its low, so close equals open too)
 * gives 0, no vigor either way; Python left it NaN, which would drop the bar from training.
 */
export function rvi(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  signalPeriod: number,
): RviLines {
  const n = close.length;
  const numerator = new Float64Array(n).fill(NaN);
  const denominator = new Float64Array(n).fill(NaN);
  const body = (i: number): number => close[i]! - open[i]!;
  const range = (i: number): number => high[i]! - low[i]!;
  for (let i = 3; i < n; i++) {
    numerator[i] = (body(i - 3) + 2 * body(i - 2) + 2 * body(i - 1) + body(i)) / 6;
    denominator[i] = (range(i - 3) + 2 * range(i - 2) + 2 * range(i - 1) + range(i)) / 6;
  }
  const averageNumerator = rollingMean(numerator, period);
  const averageDenominator = rollingMean(denominator, period);
  const line = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const den = averageDenominator[i]!;
    line[i] = den === 0 ? 0 : averageNumerator[i]! / den;
  }
  return { rvi: line, signal: rollingMean(line, signalPeriod) };
}

/** Registry entry for {@link rvi}. */
export const RVI_DEFINITION: IndicatorDefinition = {
  name: 'RVI',
  aliases: ['relative_vigor_index'],
  description: 'Relative vigor index and its signal line (about -1 to 1)',
  params: [periodSpec(10), periodSpec(4, 'signal_period', 'signal SMA period')],
  outputs: ['rvi', 'signal'],
  fuzzyInput: 'rvi',
  compute(bars, params) {
    const lines = rvi(
      bars.open,
      bars.high,
      bars.low,
      bars.close,
      numberParam(params, 'period'),
      numberParam(params, 'signal_period'),
    );
    return { rvi: lines.rvi, signal: lines.signal };
  },
};
