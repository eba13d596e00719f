import { numberParam } from './param-values';
import { flagSpec, periodSpec } from './param-specs';
import type { IndicatorDefinition } from './types';

/** Aroon up, down and their difference. */
export interface AroonLines {
  /** 100 * (period - bars since the highest high) / period. */
  up: Float64Array;
  /** 100 * (period - bars since the lowest low) / period. */
  down: Float64Array;
  /** up - down (-100 to 100). */
  oscillator: Float64Array;
}

/**
 * Aroon as Python KTRDR computes it: over a window of the last `period` bars (first value at index
 * `period - 1`), the bars since the highest high and since the lowest low, the earliest bar winning a
 * tie (pandas' argmax). With `period` bars in the window the lines range from 100 / period to 100;
 * TA-Lib's window has `period + 1` bars and reaches 0.
 */
export function aroon(high: Float64Array, low: Float64Array, period: number): AroonLines {
  const n = high.length;
  const up = new Float64Array(n).fill(NaN);
  const down = new Float64Array(n).fill(NaN);
  const oscillator = new Float64Array(n).fill(NaN);
  for (let i = period - 1; i < n; i++) {
    let highAt = i - period + 1;
    let lowAt = highAt;
    for (let j = highAt + 1; j <= i; j++) {
      if (high[j]! > high[highAt]!) highAt = j;
      if (low[j]! < low[lowAt]!) lowAt = j;
    }
    up[i] = (100 * (period - (i - highAt))) / period;
    down[i] = (100 * (period - (i - lowAt))) / period;
    oscillator[i] = up[i]! - down[i]!;
  }
  return { up, down, oscillator };
}

/** Registry entry for {@link aroon}; output names are Python KTRDR's. */
export const AROON_DEFINITION: IndicatorDefinition = {
  name: 'Aroon',
  aliases: [],
  description: 'Aroon up and down (0-100) and the oscillator, up - down',
  params: [
    periodSpec(14),
    flagSpec(
      'include_oscillator',
      false,
      'accepted for Python KTRDR files; the oscillator output is always computed',
    ),
  ],
  outputs: ['up', 'down', 'oscillator'],
  fuzzyInput: 'up',
  compute(bars, params) {
    const lines = aroon(bars.high, bars.low, numberParam(params, 'period'));
    return { up: lines.up, down: lines.down, oscillator: lines.oscillator };
  },
};
