import { ValidationError } from '@ktrdr/core';
import { chronologicalSplit, type DataSplit } from '../labels/data-split';
import type { StrategyConfig } from '../strategy/types';
import { completeRows, type FeatureMatrix } from './feature-matrix';
import { unfittedSpec, type FeatureSpec } from './feature-spec';
import { barCount, type OhlcvColumns } from './ohlcv';
import { rawFeatureColumns } from './raw-feature-columns';
import { applyScaler, fitScaler, type FittedScaler } from './scaler';

/** Training features: the matrix, the split its scaler was fitted on, and the spec to reproduce it. */
export interface BuiltFeatures extends FeatureMatrix {
  /** Chronological split of the rows by the strategy's `data_split`; the scaler saw `train` only. */
  readonly split: DataSplit;
  /** What {@link applyFeatureSpec} needs to rebuild identical rows from new bars. */
  readonly spec: FeatureSpec;
}

/**
 * Builds the feature matrix for training from bars and a strategy: indicators, fuzzy memberships
 * (`{indicator}_{set}`), lagged copies (`{column}_lag{k}`), warm-up rows dropped, then (when the strategy
 * scales features) a scaler fitted on the train split only and applied to every row.
 * @throws ValidationError when no row survives warm-up or the train split is empty.
 */
export function buildFeatures(bars: OhlcvColumns, strategy: StrategyConfig): BuiltFeatures {
  const base = unfittedSpec(strategy);
  const columns = rawFeatureColumns(bars, base.indicators, base.fuzzySets, base.lookbackPeriods);
  const { values, barIndex } = completeRows(columns, barCount(bars));
  const rows = barIndex.length;
  if (rows === 0) {
    throw new ValidationError(
      `No complete feature rows from ${barCount(bars)} bars: the strategy's indicators need more history`,
      { details: { field: 'bars', bars: barCount(bars) } },
    );
  }
  const split = chronologicalSplit(rows, strategy.training.data_split);
  let scaler: FittedScaler | null = null;
  if (strategy.model.features.scale_features) {
    if (split.train.end === 0) {
      throw new ValidationError(`The train split of ${rows} rows is empty; provide more bars`, {
        details: { field: 'training.data_split.train', rows },
      });
    }
    scaler = fitScaler(values, base.columns.length, split.train, strategy.model.features.scaling_method);
    applyScaler(values, base.columns.length, scaler);
  }
  const spec: FeatureSpec = { ...base, scaler, warmupBars: barIndex[0]! };
  return {
    matrix: Float32Array.from(values),
    rows,
    columns: base.columns,
    times: timesOf(bars, barIndex),
    barIndex,
    scaler,
    split,
    spec,
  };
}

/**
 * Rebuilds feature rows from new bars with a stored {@link FeatureSpec}, applying its stored scaler
 * (never refitting), so inference sees exactly the transformation training did. Bars too early to
 * have every feature produce no row; pass at least `spec.warmupBars + 1` bars for one row.
 * @throws ValidationError when the spec's column list does not match what it computes (a spec from an
 *   incompatible version).
 */
export function applyFeatureSpec(spec: FeatureSpec, bars: OhlcvColumns): FeatureMatrix {
  const columns = rawFeatureColumns(bars, spec.indicators, spec.fuzzySets, spec.lookbackPeriods);
  if (columns.length !== spec.columns.length) {
    throw new ValidationError(
      `Feature spec lists ${spec.columns.length} columns but its indicators and fuzzy sets produce ${columns.length}`,
      { details: { field: 'columns' } },
    );
  }
  const { values, barIndex } = completeRows(columns, barCount(bars));
  if (spec.scaler !== null) applyScaler(values, spec.columns.length, spec.scaler);
  return {
    matrix: Float32Array.from(values),
    rows: barIndex.length,
    columns: spec.columns,
    times: timesOf(bars, barIndex),
    barIndex,
    scaler: spec.scaler,
  };
}

function timesOf(bars: OhlcvColumns, barIndex: Int32Array): Float64Array {
  return Float64Array.from(barIndex, (bar) => bars.time[bar]!);
}
