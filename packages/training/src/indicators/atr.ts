import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { wilderAverage } from './smoothing';
import type { IndicatorDefinition } from './types';

/**
 * True range: max(high - low, |high - prev close|, |low - prev close|). NaN at bar 0, which has no
 * previous close (technicalindicators does the same; Python KTRDR used high - low there).
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  for (let i = 1; i < out.length; i++) {
    const prevClose = close[i - 1]!;
    out[i] = Math.max(high[i]! - low[i]!, Math.abs(high[i]! - prevClose), Math.abs(low[i]! - prevClose));
  }
  return out;
}

/**
 * Average true range with Wilder smoothing (Wilder's definition; technicalindicators agrees), first
 * value at index `period`. Python KTRDR used a plain SMA of the true range, which tracks the same
 * level but reacts differently to single wide bars.
 */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  return wilderAverage(trueRange(high, low, close), period);
}

/**
 * Normalised ATR, `100 * ATR / close` (TA-Lib's NATR): volatility in percent of price, comparable
 * across instruments.
 */
export function natr(atrValues: Float64Array, close: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < out.length; i++) out[i] = (100 * atrValues[i]!) / close[i]!;
  return out;
}

/** Registry entry for {@link atr}; `natr` is the same in percent of the close. */
export const ATR_DEFINITION: IndicatorDefinition = {
  name: 'ATR',
  aliases: ['average_true_range'],
  description: 'Average true range (price units), Wilder smoothing',
  params: [periodSpec(14)],
  outputs: ['value', 'natr'],
  fuzzyInput: 'value',
  compute(bars, params) {
    const value = atr(bars.high, bars.low, bars.close, numberParam(params, 'period'));
    return { value, natr: natr(value, bars.close) };
  },
};
