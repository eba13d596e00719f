import { booleanParam, numberParam } from './param-values';
import type { IndicatorDefinition } from './types';

/**
 * Volume-weighted average price of the typical price (or the close), over a rolling window of
 * `period` bars, or cumulative from the first bar when `period` is 0 (technicalindicators' only
 * mode). Python KTRDR's rolling VWAP used `min_periods=1`; here the rolling form stays NaN until the
 * window is full, like every other indicator. A window without volume gives NaN.
 */
export function vwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period: number,
  useTypicalPrice = true,
): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  let priceVolume = 0;
  let totalVolume = 0;
  const priceAt = (i: number): number => (useTypicalPrice ? (high[i]! + low[i]! + close[i]!) / 3 : close[i]!);
  for (let i = 0; i < n; i++) {
    priceVolume += priceAt(i) * volume[i]!;
    totalVolume += volume[i]!;
    if (period > 0 && i >= period) {
      priceVolume -= priceAt(i - period) * volume[i - period]!;
      totalVolume -= volume[i - period]!;
    }
    if ((period === 0 || i >= period - 1) && totalVolume > 0) out[i] = priceVolume / totalVolume;
  }
  return out;
}

/** Registry entry for {@link vwap}. */
export const VWAP_DEFINITION: IndicatorDefinition = {
  name: 'VWAP',
  aliases: ['volume_weighted_average_price'],
  description: 'Volume-weighted average price, rolling or cumulative (period 0)',
  params: [
    {
      name: 'period',
      kind: 'integer',
      default: 20,
      min: 0,
      max: 10_000,
      description: 'window; 0 = cumulative',
    },
    {
      name: 'use_typical_price',
      kind: 'boolean',
      default: true,
      description: 'weight (high + low + close) / 3 rather than the close',
    },
  ],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({
    value: vwap(
      bars.high,
      bars.low,
      bars.close,
      bars.volume,
      numberParam(params, 'period'),
      booleanParam(params, 'use_typical_price'),
    ),
  }),
};
