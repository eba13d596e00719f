import { momentum } from './momentum';
import { booleanParam, numberParam } from './param-values';
import { flagSpec, periodSpec } from './param-specs';
import { roc } from './roc';
import { rollingMean } from './smoothing';
import type { IndicatorDefinition } from './types';

/**
 * Money flow multiplier ((close - low) - (high - close)) / (high - low), from -1 (closed at the low) to
 * 1 (at the high); 0 for a bar without range (Python KTRDR; technicalindicators uses 1).
 * @internal
 */
export function moneyFlowMultiplier(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < out.length; i++) {
    const range = high[i]! - low[i]!;
    out[i] = range === 0 ? 0 : (close[i]! - low[i]! - (high[i]! - close[i]!)) / range;
  }
  return out;
}

/** Multiplier x volume, bar by bar. @internal */
export function moneyFlowVolume(multiplier: Float64Array, volume: Float64Array): Float64Array {
  const out = new Float64Array(volume.length);
  for (let i = 0; i < out.length; i++) out[i] = multiplier[i]! * volume[i]!;
  return out;
}

/**
 * Accumulation/distribution line: the running total of money flow volume from bar 0 (no warm-up). Its
 * level depends on where the bars start; technicalindicators' ADL is the same total rounded to units.
 */
export function adLine(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
): Float64Array {
  const flow = moneyFlowVolume(moneyFlowMultiplier(high, low, close), volume);
  const out = new Float64Array(flow.length);
  let total = 0;
  for (let i = 0; i < out.length; i++) {
    total += flow[i]!;
    out[i] = total;
  }
  return out;
}

/**
 * Registry entry for {@link adLine} with Python KTRDR's outputs: the line, the money flow multiplier
 * and volume, and its three derived series: `roc_10` (percent change over 10 bars, unbounded where the
 * line crosses 0), `momentum_21` (change over 21 bars) and `relative_strength` (100 x (line / its
 * 50-bar SMA - 1), first value at bar 49: Python started it at bar 19 on a partial window).
 * `use_sma_smoothing: true` makes `line` the `smoothing_period`-bar SMA of the total, the line
 * Python's signals read; the derived series always read the raw total, as in Python.
 */
export const AD_LINE_DEFINITION: IndicatorDefinition = {
  name: 'ADLine',
  aliases: ['ad', 'adl', 'accumulation_distribution'],
  description: 'Accumulation/distribution line (cumulative volume units) and derived series',
  params: [
    flagSpec('use_sma_smoothing', false, 'line is the SMA of the running total'),
    periodSpec(21, 'smoothing_period', 'SMA period when use_sma_smoothing is true'),
  ],
  outputs: ['line', 'mf_multiplier', 'mf_volume', 'roc_10', 'momentum_21', 'relative_strength'],
  fuzzyInput: 'line',
  compute(bars, params) {
    const multiplier = moneyFlowMultiplier(bars.high, bars.low, bars.close);
    const raw = adLine(bars.high, bars.low, bars.close, bars.volume);
    const average = rollingMean(raw, 50);
    const relative = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) relative[i] = (raw[i]! / average[i]! - 1) * 100;
    return {
      line: booleanParam(params, 'use_sma_smoothing')
        ? rollingMean(raw, numberParam(params, 'smoothing_period'))
        : raw,
      mf_multiplier: multiplier,
      mf_volume: moneyFlowVolume(multiplier, bars.volume),
      roc_10: roc(raw, 10),
      momentum_21: momentum(raw, 21),
      relative_strength: relative,
    };
  },
};
