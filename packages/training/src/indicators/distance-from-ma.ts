import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import { exponentialAverage, rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/** The moving averages DistanceFromMA can measure from, spelled as Python KTRDR's `ma_type`. */
export const MA_TYPES = ['SMA', 'EMA'] as const;

/**
 * Distance of `values` from their moving average in percent of the average, 100 x (value - MA) / MA:
 * positive above the average. 0 where the average is about 0 (Python KTRDR); NaN during its warm-up.
 * The EMA is our SMA-seeded one.
 */
export function distanceFromMa(
  values: Float64Array,
  period: number,
  maType: (typeof MA_TYPES)[number],
): Float64Array {
  const average = maType === 'EMA' ? exponentialAverage(values, period) : rollingMean(values, period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const ma = average[i]!;
    out[i] = Math.abs(ma) <= 1e-10 ? 0 : (100 * (values[i]! - ma)) / ma;
  }
  return out;
}

/** Registry entry for {@link distanceFromMa}; names and defaults are Python KTRDR's. */
export const DISTANCE_FROM_MA_DEFINITION: IndicatorDefinition = {
  name: 'DistanceFromMA',
  aliases: ['distance_from_moving_average'],
  description: 'Distance from a moving average, in percent of the average',
  params: [
    periodSpec(20),
    {
      name: 'ma_type',
      kind: 'choice',
      choices: MA_TYPES,
      default: 'SMA',
      description: 'moving average: SMA or EMA',
    },
    SOURCE_SPEC,
  ],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute(bars, params) {
    const maType = params['ma_type'] === 'EMA' ? 'EMA' : 'SMA';
    return {
      value: distanceFromMa(priceSeries(bars, sourceParam(params)), numberParam(params, 'period'), maType),
    };
  },
};
