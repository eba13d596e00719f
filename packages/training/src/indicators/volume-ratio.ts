import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/**
 * Volume over its `period`-bar SMA (1.0 = average volume); 1.0 where the average is about 0 (Python
 * KTRDR). NaN until the average exists: Python returned 1.0 during the warm-up as well.
 */
export function volumeRatio(volume: Float64Array, period: number): Float64Array {
  const average = rollingMean(volume, period);
  const out = new Float64Array(volume.length);
  for (let i = 0; i < out.length; i++) {
    const mean = average[i]!;
    out[i] = Number.isNaN(mean) ? NaN : Math.abs(mean) > 1e-10 ? volume[i]! / mean : 1;
  }
  return out;
}

/** Registry entry for {@link volumeRatio}. */
export const VOLUME_RATIO_DEFINITION: IndicatorDefinition = {
  name: 'VolumeRatio',
  aliases: [],
  description: 'Volume over its moving average (1.0 = average)',
  params: [periodSpec(20)],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({ value: volumeRatio(bars.volume, numberParam(params, 'period')) }),
};
