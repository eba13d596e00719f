import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { SOURCE_SPEC } from './param-specs';
import type { IndicatorDefinition } from './types';

/** The turning points of a ZigZag, in time order, alternating lows and highs. */
export interface ZigzagPivots {
  /** Bar index of each pivot. */
  indices: number[];
  /** +1 for a high (end of an up-swing), -1 for a low. */
  kinds: Array<1 | -1>;
  /**
   * True when the last pivot is only the running extreme of an unfinished swing: a later bar could
   * still extend it. All earlier pivots are confirmed by a reversal of at least `threshold`.
   */
  lastIsProvisional: boolean;
}

/**
 * Finds swing extremes of `values` that are separated by moves of at least `threshold` (a fraction:
 * 0.05 = 5%) measured from the extreme. Each pivot is the highest (lowest) value of its swing.
 *
 * Python KTRDR anchored the first pivot at bar 0 and only measured moves from there, so a first swing
 * that started after bar 0 was lost; here both the running high and low are tracked until the first
 * move of `threshold` decides the direction, and the first pivot is that swing's true start.
 */
export function zigzagPivots(values: Float64Array, threshold: number): ZigzagPivots {
  const pivots: ZigzagPivots = { indices: [], kinds: [], lastIsProvisional: false };
  const n = values.length;
  let high = -1;
  let low = -1;
  let direction: 0 | 1 | -1 = 0;
  let candidate = -1;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    if (direction === 0) {
      if (high < 0 || x > values[high]!) high = i;
      if (low < 0 || x < values[low]!) low = i;
      const lowPrice = values[low]!;
      const highPrice = values[high]!;
      if (high === i && (highPrice - lowPrice) / lowPrice >= threshold) {
        push(pivots, low, -1);
        direction = 1;
        candidate = i;
      } else if (low === i && (highPrice - lowPrice) / highPrice >= threshold) {
        push(pivots, high, 1);
        direction = -1;
        candidate = i;
      }
      continue;
    }
    const extreme = values[candidate]!;
    if (direction === 1) {
      if (x > extreme) candidate = i;
      else if ((extreme - x) / extreme >= threshold) {
        push(pivots, candidate, 1);
        direction = -1;
        candidate = i;
      }
    } else if (x < extreme) candidate = i;
    else if ((x - extreme) / extreme >= threshold) {
      push(pivots, candidate, -1);
      direction = 1;
      candidate = i;
    }
  }
  if (candidate >= 0) {
    push(pivots, candidate, direction === 1 ? 1 : -1);
    pivots.lastIsProvisional = true;
  }
  return pivots;
}

function push(pivots: ZigzagPivots, index: number, kind: 1 | -1): void {
  pivots.indices.push(index);
  pivots.kinds.push(kind);
}

/**
 * ZigZag line in Python KTRDR's shape: the price at each pivot bar, NaN elsewhere. It looks ahead
 * (a pivot is only known once price has reversed), so it is for labels and charts, never features.
 */
export function zigzag(values: Float64Array, threshold: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (const index of zigzagPivots(values, threshold).indices) out[index] = values[index]!;
  return out;
}

/** Registry entry for {@link zigzag}. */
export const ZIGZAG_DEFINITION: IndicatorDefinition = {
  name: 'ZigZag',
  aliases: ['zig_zag'],
  description: 'Swing extremes separated by at least `threshold` (looks ahead: labels only)',
  params: [
    {
      name: 'threshold',
      kind: 'number',
      default: 0.05,
      min: 1e-6,
      max: 0.999999,
      description: 'minimum reversal as a fraction (0.05 = 5%)',
    },
    SOURCE_SPEC,
  ],
  outputs: ['value'],
  fuzzyInput: 'value',
  looksAhead: true,
  compute: (bars, params) => ({
    value: zigzag(priceSeries(bars, sourceParam(params)), numberParam(params, 'threshold')),
  }),
};
