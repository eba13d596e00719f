import { type DataSplit, type RowRange } from '../labels/data-split';
import { countLabels, type LabelCounts } from '../labels/signals';
import { zigzagLabels } from '../labels/zigzag-labels';
import type { StrategyConfig } from '../strategy/types';
import { buildFeatures } from './build-features';
import type { FeatureSpec } from './feature-spec';
import type { OhlcvColumns } from './ohlcv';

/** Everything a trainer needs: inputs, labels, the chronological split, and the spec to save. */
export interface TrainingData {
  /** Row-major `rows x columns.length` inputs. */
  readonly x: Float32Array;
  /** Class per row: 0 BUY, 1 HOLD, 2 SELL. */
  readonly y: Int32Array;
  readonly rows: number;
  readonly columns: readonly string[];
  /** Bar time of each row. */
  readonly times: Float64Array;
  /** Index in the input bars of each row. */
  readonly barIndex: Int32Array;
  readonly split: DataSplit;
  /** Save with the model; {@link applyFeatureSpec} turns new bars into inputs with it. */
  readonly spec: FeatureSpec;
  /** Label counts per split part (class balance, majority baseline). */
  readonly labelCounts: {
    readonly train: LabelCounts;
    readonly validation: LabelCounts;
    readonly test: LabelCounts;
  };
}

/** One part of the data: a view (no copy) of its rows. */
export interface TrainingSlice {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly rows: number;
}

/**
 * From bars and a strategy to model inputs and labels: {@link buildFeatures} (scaler fitted on the
 * train split only) plus ZigZag segment labels computed on the full close series, kept for the bars
 * that have a feature row.
 */
export function prepareTrainingData(bars: OhlcvColumns, strategy: StrategyConfig): TrainingData {
  const features = buildFeatures(bars, strategy);
  const { zigzag_threshold: threshold, label_lookahead: lookahead } = strategy.training.labels;
  const allLabels = zigzagLabels(bars.close, threshold, lookahead);
  const y = Int32Array.from(features.barIndex, (bar) => allLabels[bar]!);
  const { split } = features;
  return {
    x: features.matrix,
    y,
    rows: features.rows,
    columns: features.columns,
    times: features.times,
    barIndex: features.barIndex,
    split,
    spec: features.spec,
    labelCounts: {
      train: countLabels(y.subarray(split.train.start, split.train.end)),
      validation: countLabels(y.subarray(split.validation.start, split.validation.end)),
      test: countLabels(y.subarray(split.test.start, split.test.end)),
    },
  };
}

/** The rows `range` of `data` (e.g. `data.split.train`), as views into its arrays. */
export function sliceRows(data: Pick<TrainingData, 'x' | 'y' | 'columns'>, range: RowRange): TrainingSlice {
  const width = data.columns.length;
  return {
    x: data.x.subarray(range.start * width, range.end * width),
    y: data.y.subarray(range.start, range.end),
    rows: range.end - range.start,
  };
}
