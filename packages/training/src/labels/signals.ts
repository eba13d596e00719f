/** Class index of a BUY label / prediction (Python KTRDR convention: BUY=0, HOLD=1, SELL=2). */
export const SIGNAL_BUY = 0;
/** Class index of HOLD. */
export const SIGNAL_HOLD = 1;
/** Class index of SELL. */
export const SIGNAL_SELL = 2;

/** A class index: 0 BUY, 1 HOLD, 2 SELL. */
export type SignalClass = typeof SIGNAL_BUY | typeof SIGNAL_HOLD | typeof SIGNAL_SELL;

/** Class names by index, for metrics and predictions. */
export const SIGNAL_NAMES = ['BUY', 'HOLD', 'SELL'] as const;

/** How many bars carry each label. */
export interface LabelCounts {
  buy: number;
  hold: number;
  sell: number;
}

/** Counts the labels in `labels` (values other than 0, 1, 2 are ignored). */
export function countLabels(labels: ArrayLike<number>): LabelCounts {
  const counts: LabelCounts = { buy: 0, hold: 0, sell: 0 };
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === SIGNAL_BUY) counts.buy++;
    else if (label === SIGNAL_HOLD) counts.hold++;
    else if (label === SIGNAL_SELL) counts.sell++;
  }
  return counts;
}
