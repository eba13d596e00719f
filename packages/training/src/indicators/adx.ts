import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { trueRange } from './atr';
import { wilderAverage } from './smoothing';
import type { IndicatorDefinition } from './types';

/** ADX with its two directional indicators. */
export interface AdxLines {
  /** Average directional index (0-100); first value at index `2 * period - 1`. */
  adx: Float64Array;
  /** +DI (0-100); first value at index `period`. */
  plusDi: Float64Array;
  /** -DI (0-100); first value at index `period`. */
  minusDi: Float64Array;
}

/**
 * Wilder's Average Directional Index. True range and +DM/-DM are Wilder-smoothed from bar 1 (seeded
 * with their mean over the first `period` bars), DX = 100 * |+DI - -DI| / (+DI + -DI), and ADX is the
 * Wilder average of DX seeded with the mean of its first `period` values, exactly as
 * technicalindicators does (its sum-based smoothing is `period` times ours, and cancels in the DI
 * ratios). Python KTRDR applied pandas `ewm(alpha=1/period)` from bar 0 instead, so its early values
 * differ; they converge after a few periods. DX is 0 when both DIs are 0 (Python's convention).
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period: number): AdxLines {
  const n = close.length;
  const plusDm = new Float64Array(n).fill(NaN);
  const minusDm = new Float64Array(n).fill(NaN);
  for (let i = 1; i < n; i++) {
    const up = high[i]! - high[i - 1]!;
    const down = low[i - 1]! - low[i]!;
    plusDm[i] = up > down && up > 0 ? up : 0;
    minusDm[i] = down > up && down > 0 ? down : 0;
  }
  const smoothTr = wilderAverage(trueRange(high, low, close), period);
  const smoothPlus = wilderAverage(plusDm, period);
  const smoothMinus = wilderAverage(minusDm, period);
  const plusDi = new Float64Array(n);
  const minusDi = new Float64Array(n);
  const dx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tr = smoothTr[i]!;
    plusDi[i] = tr === 0 ? 0 : (100 * smoothPlus[i]!) / tr;
    minusDi[i] = tr === 0 ? 0 : (100 * smoothMinus[i]!) / tr;
    const sum = plusDi[i]! + minusDi[i]!;
    dx[i] = sum === 0 ? 0 : (100 * Math.abs(plusDi[i]! - minusDi[i]!)) / sum;
  }
  return { adx: wilderAverage(dx, period), plusDi, minusDi };
}

/** Registry entry for {@link adx}. */
export const ADX_DEFINITION: IndicatorDefinition = {
  name: 'ADX',
  aliases: ['average_directional_index', 'dmi'],
  description: 'Average directional index with +DI and -DI (0-100)',
  params: [{ ...periodSpec(14), min: 2 }],
  outputs: ['adx', 'plus_di', 'minus_di'],
  fuzzyInput: 'adx',
  compute(bars, params) {
    const lines = adx(bars.high, bars.low, bars.close, numberParam(params, 'period'));
    return { adx: lines.adx, plus_di: lines.plusDi, minus_di: lines.minusDi };
  },
};
