import { zigzagPivots } from '../indicators/zigzag';
import { SIGNAL_BUY, SIGNAL_HOLD, SIGNAL_SELL } from './signals';

/**
 * ZigZag segment labels (Python KTRDR's `generate_segment_labels`, the balanced scheme): every bar
 * strictly inside a swing from a low to the next high is BUY (0), inside a swing from a high to the
 * next low SELL (2), and the pivots themselves HOLD (1).
 *
 * `lookahead` bounds how far ahead a label may look: a bar more than `lookahead` bars before the end of
 * its swing is HOLD, because a move that far away is not what a trade opened there would capture
 * (Python read `label_lookahead` but its segment labeller ignored it; pass `Infinity` for that).
 * Bars before the first pivot and after the last one are HOLD: their swing is unknown.
 *
 * These labels look into the future by construction; they are training targets, never features.
 *
 * @param close Close prices, oldest first.
 * @param threshold Minimum swing as a fraction (0.05 = 5%).
 * @param lookahead Maximum bars from a bar to the end of its swing.
 */
export function zigzagLabels(close: Float64Array, threshold: number, lookahead: number): Int32Array {
  const labels = new Int32Array(close.length).fill(SIGNAL_HOLD);
  const { indices, kinds } = zigzagPivots(close, threshold);
  for (let p = 1; p < indices.length; p++) {
    const from = indices[p - 1]!;
    const to = indices[p]!;
    // A swing that ends at a high went up.
    const label = kinds[p] === 1 ? SIGNAL_BUY : SIGNAL_SELL;
    for (let i = Math.max(from + 1, to - lookahead); i < to; i++) labels[i] = label;
  }
  return labels;
}
