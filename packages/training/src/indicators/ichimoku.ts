import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { rollingMax, rollingMin } from './rolling-extremes';
import type { IndicatorDefinition } from './types';

/** The five Ichimoku lines, each as long as the input. */
export interface IchimokuLines {
  /** Tenkan-sen (conversion line): midpoint of the `tenkanPeriod` range. */
  tenkan: Float64Array;
  /** Kijun-sen (base line): midpoint of the `kijunPeriod` range. */
  kijun: Float64Array;
  /** Senkou span A: (tenkan + kijun) / 2 as computed `displacement` bars earlier. */
  senkouA: Float64Array;
  /** Senkou span B: midpoint of the `senkouBPeriod` range as computed `displacement` bars earlier. */
  senkouB: Float64Array;
  /** Chikou span: the close (charts draw it `displacement` bars back). */
  chikou: Float64Array;
}

/**
 * Ichimoku Kinko Hyo. Charts draw the two senkou spans `displacement` bars ahead of the bar that
 * computes them, so the cloud under bar t is the one computed at t - displacement: that is what the
 * spans hold here, which uses only past bars. `displacement: 0` gives the spans of the bar itself,
 * which is what technicalindicators and Python KTRDR return (Python accepts `displacement` but does
 * not shift). The chikou span is the close: drawn back at t - displacement it would look ahead, so at
 * bar t it is simply close[t], as in Python KTRDR.
 */
export function ichimoku(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  tenkanPeriod: number,
  kijunPeriod: number,
  senkouBPeriod: number,
  displacement: number,
): IchimokuLines {
  const n = close.length;
  const tenkan = midRange(high, low, tenkanPeriod);
  const kijun = midRange(high, low, kijunPeriod);
  const spanB = midRange(high, low, senkouBPeriod);
  const senkouA = new Float64Array(n).fill(NaN);
  const senkouB = new Float64Array(n).fill(NaN);
  for (let i = displacement; i < n; i++) {
    const from = i - displacement;
    senkouA[i] = (tenkan[from]! + kijun[from]!) / 2;
    senkouB[i] = spanB[from]!;
  }
  return { tenkan, kijun, senkouA, senkouB, chikou: Float64Array.from(close) };
}

/** (highest high + lowest low) / 2 over the last `period` bars. */
function midRange(high: Float64Array, low: Float64Array, period: number): Float64Array {
  const highest = rollingMax(high, period);
  const lowest = rollingMin(low, period);
  const out = new Float64Array(high.length);
  for (let i = 0; i < out.length; i++) out[i] = (highest[i]! + lowest[i]!) / 2;
  return out;
}

/** Registry entry for {@link ichimoku}; output names are Python KTRDR's. */
export const ICHIMOKU_DEFINITION: IndicatorDefinition = {
  name: 'Ichimoku',
  aliases: ['ichimoku_cloud', 'ichimoku_kinko_hyo'],
  description: 'Ichimoku cloud: tenkan, kijun, senkou A and B (shifted causally), chikou (price units)',
  params: [
    periodSpec(9, 'tenkan_period', 'conversion line range'),
    periodSpec(26, 'kijun_period', 'base line range'),
    periodSpec(52, 'senkou_b_period', 'senkou span B range'),
    { ...periodSpec(26, 'displacement', 'bars the senkou spans lag (0 = unshifted)'), min: 0 },
  ],
  outputs: ['tenkan', 'kijun', 'senkou_a', 'senkou_b', 'chikou'],
  fuzzyInput: 'tenkan',
  compute(bars, params) {
    const lines = ichimoku(
      bars.high,
      bars.low,
      bars.close,
      numberParam(params, 'tenkan_period'),
      numberParam(params, 'kijun_period'),
      numberParam(params, 'senkou_b_period'),
      numberParam(params, 'displacement'),
    );
    return {
      tenkan: lines.tenkan,
      kijun: lines.kijun,
      senkou_a: lines.senkouA,
      senkou_b: lines.senkouB,
      chikou: lines.chikou,
    };
  },
};
