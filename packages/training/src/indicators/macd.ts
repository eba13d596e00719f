import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import { exponentialAverage } from './smoothing';
import type { IndicatorDefinition } from './types';

/** The three MACD lines. */
export interface MacdLines {
  /** Fast EMA minus slow EMA; first value at index `slowPeriod - 1`. */
  macd: Float64Array;
  /** EMA of the MACD line; first value at index `slowPeriod + signalPeriod - 2`. */
  signal: Float64Array;
  /** MACD minus signal. */
  histogram: Float64Array;
  /**
   * Percentage price oscillator, 100 * MACD / slow EMA: the MACD line in percent of price, so fuzzy
   * sets on it carry over between instruments of different price levels.
   */
  ppo: Float64Array;
}

/**
 * Moving Average Convergence/Divergence with SMA-seeded EMAs (technicalindicators with
 * `SimpleMAOscillator: false, SimpleMASignal: false`, and TA-Lib, agree on this seed).
 */
export function macd(
  values: Float64Array,
  fastPeriod: number,
  slowPeriod: number,
  signalPeriod: number,
): MacdLines {
  const fast = exponentialAverage(values, fastPeriod);
  const slow = exponentialAverage(values, slowPeriod);
  const n = values.length;
  const line = new Float64Array(n);
  for (let i = 0; i < n; i++) line[i] = fast[i]! - slow[i]!;
  const signal = exponentialAverage(line, signalPeriod);
  const histogram = new Float64Array(n);
  const ppo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    histogram[i] = line[i]! - signal[i]!;
    ppo[i] = (100 * line[i]!) / slow[i]!;
  }
  return { macd: line, signal, histogram, ppo };
}

/** Registry entry for {@link macd}. */
export const MACD_DEFINITION: IndicatorDefinition = {
  name: 'MACD',
  aliases: ['moving_average_convergence_divergence'],
  description: 'MACD line, signal line, histogram, and the line in percent of price (PPO)',
  params: [
    periodSpec(12, 'fast_period', 'fast EMA period'),
    periodSpec(26, 'slow_period', 'slow EMA period'),
    periodSpec(9, 'signal_period', 'signal EMA period'),
    SOURCE_SPEC,
  ],
  outputs: ['macd', 'signal', 'histogram', 'ppo'],
  fuzzyInput: 'macd',
  checkParams: (params) =>
    numberParam(params, 'fast_period') < numberParam(params, 'slow_period')
      ? undefined
      : `fast_period must be less than slow_period (got ${String(params['fast_period'])} and ${String(params['slow_period'])})`,
  compute(bars, params) {
    const lines = macd(
      priceSeries(bars, sourceParam(params)),
      numberParam(params, 'fast_period'),
      numberParam(params, 'slow_period'),
      numberParam(params, 'signal_period'),
    );
    return { macd: lines.macd, signal: lines.signal, histogram: lines.histogram, ppo: lines.ppo };
  },
};
