/** Class names by index: the label encoding of the whole training path (ZigZag labels, model outputs). */
export const CLASS_LABELS = ['BUY', 'HOLD', 'SELL'] as const;

/** One of {@link CLASS_LABELS}. */
export type ClassLabel = (typeof CLASS_LABELS)[number];

/** Class indices: BUY = 0, HOLD = 1, SELL = 2. */
export const CLASS_INDEX: Readonly<Record<ClassLabel, number>> = { BUY: 0, HOLD: 1, SELL: 2 };
