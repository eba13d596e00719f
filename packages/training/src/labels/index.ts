export {
  countLabels,
  SIGNAL_BUY,
  SIGNAL_HOLD,
  SIGNAL_NAMES,
  SIGNAL_SELL,
  type LabelCounts,
  type SignalClass,
} from './signals';
export { zigzagLabels } from './zigzag-labels';
export { chronologicalSplit, type DataSplit, type RowRange, type SplitFractions } from './data-split';
