import { atr } from './atr';
import { numberParam } from './param-values';
import { numberSpec, periodSpec } from './param-specs';
import type { IndicatorDefinition } from './types';

/** The SuperTrend line and its direction. */
export interface SuperTrendLines {
  /** The trailing band in force: the lower band in an uptrend, the upper one in a downtrend. */
  trend: Float64Array;
  /** 1 in an uptrend, -1 in a downtrend. */
  direction: Float64Array;
}

/**
 * SuperTrend: bands at hl2 +/- `multiplier` x ATR(`period`) (Wilder, as our ATR) that only tighten
 * while the trend holds (a band moves away from price only once the previous close has crossed it);
 * the trend turns down when the close falls to the lower band and up when it rises to the upper band
 * (Python KTRDR's rules). The first value is at the first ATR bar (index `period`), where the trend is
 * up unless the close is already at the lower band. Python KTRDR seeded its bands with the NaN of the
 * ATR's warm-up and never left it (its line stays NaN and its direction 1), so there is nothing of its
 * to match; this is the usual definition (TradingView's, with the ATR Python's docs name).
 */
export function superTrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  multiplier: number,
): SuperTrendLines {
  const n = close.length;
  const range = atr(high, low, close, period);
  const trend = new Float64Array(n).fill(NaN);
  const direction = new Float64Array(n).fill(NaN);
  let upperBand = NaN;
  let lowerBand = NaN;
  let up = true;
  for (let i = 0; i < n; i++) {
    const width = multiplier * range[i]!;
    if (Number.isNaN(width)) continue;
    const middle = (high[i]! + low[i]!) / 2;
    const basicUpper = middle + width;
    const basicLower = middle - width;
    if (Number.isNaN(upperBand)) {
      upperBand = basicUpper;
      lowerBand = basicLower;
      up = close[i]! > lowerBand;
    } else {
      const previousClose = close[i - 1]!;
      if (basicUpper < upperBand || previousClose > upperBand) upperBand = basicUpper;
      if (basicLower > lowerBand || previousClose < lowerBand) lowerBand = basicLower;
      up = up ? close[i]! > lowerBand : close[i]! >= upperBand;
    }
    trend[i] = up ? lowerBand : upperBand;
    direction[i] = up ? 1 : -1;
  }
  return { trend, direction };
}

/** Registry entry for {@link superTrend}; names, defaults and outputs are Python KTRDR's. */
export const SUPERTREND_DEFINITION: IndicatorDefinition = {
  name: 'SuperTrend',
  aliases: [],
  description: 'SuperTrend trailing line (price units) and direction (1 up, -1 down)',
  params: [periodSpec(10, 'period', 'ATR period'), numberSpec('multiplier', 3, 'band distance in ATRs')],
  outputs: ['trend', 'direction'],
  fuzzyInput: 'trend',
  compute(bars, params) {
    const lines = superTrend(
      bars.high,
      bars.low,
      bars.close,
      numberParam(params, 'period'),
      numberParam(params, 'multiplier'),
    );
    return { trend: lines.trend, direction: lines.direction };
  },
};
