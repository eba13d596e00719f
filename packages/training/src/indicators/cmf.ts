import { moneyFlowMultiplier, moneyFlowVolume } from './ad-line';
import { momentum } from './momentum';
import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import { exponentialAverage, rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/**
 * Chaikin money flow: money flow volume summed over the last `period` bars divided by the volume
 * over them (-1 to 1); first value at `period - 1`. A window without volume gives 0 (Python KTRDR).
 */
export function cmf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period: number,
): Float64Array {
  const flow = rollingMean(moneyFlowVolume(moneyFlowMultiplier(high, low, close), volume), period);
  const traded = rollingMean(volume, period);
  const out = new Float64Array(close.length);
  for (let i = 0; i < out.length; i++) out[i] = traded[i] === 0 ? 0 : flow[i]! / traded[i]!;
  return out;
}

/** 1 where `test` holds, 0 where not, NaN where the value is NaN (warm-up). */
function flag(values: Float64Array, test: (value: number) => boolean): Float64Array {
  return values.map((value) => (Number.isNaN(value) ? NaN : test(value) ? 1 : 0));
}

/**
 * Registry entry for {@link cmf} with Python KTRDR's outputs: `cmf`, the money flow multiplier and
 * volume, `momentum` (change over 5 bars), `signal` (9-bar EMA, SMA-seeded like our EMA; Python seeded
 * it with the first value), `histogram` (cmf - signal) and the 1/0 flags `above_zero`, `below_zero`.
 */
export const CMF_DEFINITION: IndicatorDefinition = {
  name: 'CMF',
  aliases: ['chaikin_money_flow'],
  description: 'Chaikin money flow (-1 to 1) and derived series',
  params: [periodSpec(21)],
  outputs: [
    'cmf',
    'mf_multiplier',
    'mf_volume',
    'momentum',
    'signal',
    'histogram',
    'above_zero',
    'below_zero',
  ],
  fuzzyInput: 'cmf',
  compute(bars, params) {
    const value = cmf(bars.high, bars.low, bars.close, bars.volume, numberParam(params, 'period'));
    const multiplier = moneyFlowMultiplier(bars.high, bars.low, bars.close);
    const signal = exponentialAverage(value, 9);
    return {
      cmf: value,
      mf_multiplier: multiplier,
      mf_volume: moneyFlowVolume(multiplier, bars.volume),
      momentum: momentum(value, 5),
      signal,
      histogram: value.map((v, i) => v - signal[i]!),
      above_zero: flag(value, (v) => v > 0),
      below_zero: flag(value, (v) => v < 0),
    };
  },
};
