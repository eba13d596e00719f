import { numberParam } from './param-values';
import { flagSpec, periodSpec } from './param-specs';
import { rollingMax, rollingMin } from './rolling-extremes';
import type { IndicatorDefinition } from './types';

/** The three Donchian lines. */
export interface DonchianLines {
  /** Highest high of the last `period` bars. */
  upper: Float64Array;
  /** (upper + lower) / 2. */
  middle: Float64Array;
  /** Lowest low of the last `period` bars. */
  lower: Float64Array;
}

/** Donchian channels over the last `period` bars, current bar included; first value at `period - 1`. */
export function donchianChannels(high: Float64Array, low: Float64Array, period: number): DonchianLines {
  const upper = rollingMax(high, period);
  const lower = rollingMin(low, period);
  const middle = new Float64Array(upper.length);
  for (let i = 0; i < middle.length; i++) middle[i] = (upper[i]! + lower[i]!) / 2;
  return { upper, middle, lower };
}

/** Registry entry for {@link donchianChannels}; output names are Python KTRDR's. */
export const DONCHIAN_CHANNELS_DEFINITION: IndicatorDefinition = {
  name: 'DonchianChannels',
  aliases: ['donchian'],
  description: 'Donchian channels: highest high, midpoint, lowest low (price units)',
  params: [
    periodSpec(20),
    flagSpec('include_middle', true, 'accepted for Python KTRDR files; the middle output is always computed'),
  ],
  outputs: ['upper', 'middle', 'lower'],
  fuzzyInput: 'upper',
  compute(bars, params) {
    const lines = donchianChannels(bars.high, bars.low, numberParam(params, 'period'));
    return { upper: lines.upper, middle: lines.middle, lower: lines.lower };
  },
};
