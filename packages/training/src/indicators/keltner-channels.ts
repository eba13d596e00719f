import { atr } from './atr';
import { numberParam } from './param-values';
import { numberSpec, periodSpec } from './param-specs';
import { exponentialAverage } from './smoothing';
import type { IndicatorDefinition } from './types';

/** The three Keltner lines. */
export interface KeltnerLines {
  upper: Float64Array;
  /** EMA of the close. */
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * Keltner channels: EMA(close, `period`) +/- `multiplier` x ATR(`atrPeriod`), with the SMA-seeded
 * EMA and Wilder ATR of our EMA and ATR indicators (technicalindicators' KeltnerChannels agrees).
 * Python KTRDR seeded the EMA with the first close and averaged the true range with a plain SMA, so its
 * early values differ and its bands react differently to single wide bars.
 */
export function keltnerChannels(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  atrPeriod: number,
  multiplier: number,
): KeltnerLines {
  const middle = exponentialAverage(close, period);
  const range = atr(high, low, close, atrPeriod);
  const n = close.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    upper[i] = middle[i]! + multiplier * range[i]!;
    lower[i] = middle[i]! - multiplier * range[i]!;
  }
  return { upper, middle, lower };
}

/** Registry entry for {@link keltnerChannels}; names, defaults and outputs are Python KTRDR's. */
export const KELTNER_CHANNELS_DEFINITION: IndicatorDefinition = {
  name: 'KeltnerChannels',
  aliases: ['keltner', 'kc'],
  description: 'Keltner channels: EMA of the close +/- a multiple of the ATR (price units)',
  params: [
    periodSpec(20, 'period', 'EMA period of the middle line'),
    periodSpec(10, 'atr_period', 'ATR period of the band width'),
    numberSpec('multiplier', 2, 'band distance in ATRs'),
  ],
  outputs: ['upper', 'middle', 'lower'],
  fuzzyInput: 'upper',
  compute(bars, params) {
    const lines = keltnerChannels(
      bars.high,
      bars.low,
      bars.close,
      numberParam(params, 'period'),
      numberParam(params, 'atr_period'),
      numberParam(params, 'multiplier'),
    );
    return { upper: lines.upper, middle: lines.middle, lower: lines.lower };
  },
};
