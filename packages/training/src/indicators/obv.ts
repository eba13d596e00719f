import type { IndicatorDefinition } from './types';

/**
 * On-balance volume: a running total that adds the bar's volume on an up close and subtracts it on a
 * down close. Starts at 0 on bar 0 (Python KTRDR); technicalindicators starts its output at bar 1 with
 * the same running total, so the two agree bar for bar.
 */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  let total = 0;
  for (let i = 1; i < out.length; i++) {
    const change = close[i]! - close[i - 1]!;
    if (change > 0) total += volume[i]!;
    else if (change < 0) total -= volume[i]!;
    out[i] = total;
  }
  return out;
}

/** Registry entry for {@link obv}. */
export const OBV_DEFINITION: IndicatorDefinition = {
  name: 'OBV',
  aliases: ['on_balance_volume'],
  description: 'On-balance volume (cumulative, volume units)',
  params: [],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars) => ({ value: obv(bars.close, bars.volume) }),
};
