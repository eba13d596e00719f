import { ValidationError } from '@ktrdr/core';
import { chronologicalSplit, type DataSplit } from '../labels/data-split';
import type { StrategyConfig } from '../strategy/types';
import type { FeatureMatrix } from './feature-matrix';
import { unfittedSpec, type FeatureSpec, type TimeframeFeatureSpec } from './feature-spec';
import { barCount, type OhlcvColumns } from '../indicators/ohlcv';
import { rawFeatureColumns } from './raw-feature-columns';
import {
  type ColumnRows,
  type ColumnView,
  completeBarIndex,
  fitScalerOnColumns,
  packRows,
} from './pack-rows';
import type { FittedScaler } from './scaler';
import { lastClosedIndex, type TimeframeSeries } from './timeframe-alignment';
import { timeframeParts } from './timeframe-parts';

/** Training features: the matrix, the split its scaler was fitted on, and the spec to reproduce it. */
export interface BuiltFeatures extends FeatureMatrix {
  /** Chronological split of the rows by the strategy's `data_split`; the scaler saw `train` only. */
  readonly split: DataSplit;
  /** What {@link applyFeatureSpec} needs to rebuild identical rows from new bars. */
  readonly spec: FeatureSpec;
}

/**
 * Bars to build features from: one series (single timeframe), or one series per timeframe of a
 * multi-timeframe strategy (any order: the base timeframe is picked by {@link timeframeParts}).
 */
export type FeatureInput = OhlcvColumns | readonly TimeframeSeries[];

/** Unscaled feature columns of one symbol, before any split. @internal */
export interface UnscaledFeatures {
  /** One column per feature (a view onto its own timeframe's bars for higher timeframes), NaN where incomplete. */
  readonly columns: readonly ColumnView[];
  /** The base bars with every feature: one row each. */
  readonly barIndex: Int32Array;
  readonly rows: number;
  /** The base timeframe's bars: rows index them, labels are computed on them. */
  readonly baseBars: OhlcvColumns;
  readonly spec: Omit<FeatureSpec, 'scaler'>;
}

/**
 * Builds the feature matrix for training from bars and a strategy: indicators, fuzzy memberships
 * (`{indicator}_{set}`), lagged copies (`{column}_lag{k}`), warm-up rows dropped, then (when the strategy
 * scales features) a scaler fitted on the train split only and applied to every row.
 *
 * With several timeframes, each timeframe's columns are computed on its own bars, prefixed
 * `{timeframe}_`, and carried forward onto the base timeframe's rows once closed (no look-ahead:
 * see {@link lastClosedIndex}); rows are the base timeframe's bars.
 * @throws ValidationError when no row survives warm-up or the train split is empty.
 */
export function buildFeatures(input: FeatureInput, strategy: StrategyConfig): BuiltFeatures {
  const unscaled = unscaledFeatures(input, strategy);
  const { columns, barIndex, rows } = unscaled;
  const split = chronologicalSplit(rows, strategy.training.data_split);
  const scaler = fitStrategyScaler(
    [{ columns, bars: barIndex.subarray(split.train.start, split.train.end) }],
    strategy,
  );
  const matrix = new Float32Array(rows * columns.length);
  packRows({ columns, bars: barIndex }, scaler, matrix, 0);
  return {
    matrix,
    rows,
    columns: unscaled.spec.columns,
    times: timesOf(unscaled.baseBars, barIndex),
    barIndex,
    scaler,
    split,
    spec: { ...unscaled.spec, scaler },
  };
}

/**
 * Fits the strategy's scaler on the train rows of `sources` (stacked in order); null when the
 * strategy does not scale features. @internal
 * @throws ValidationError when there are no train rows.
 */
export function fitStrategyScaler(
  sources: readonly ColumnRows[],
  strategy: StrategyConfig,
): FittedScaler | null {
  if (!strategy.model.features.scale_features) return null;
  const rows = sources.reduce((sum, s) => sum + s.bars.length, 0);
  if (rows === 0) {
    throw new ValidationError('The train split is empty; provide more bars', {
      details: { field: 'training.data_split.train', rows },
    });
  }
  return fitScalerOnColumns(sources, sources[0]!.columns.length, strategy.model.features.scaling_method);
}

/** Feature rows before scaling and splitting. @internal */
export function unscaledFeatures(input: FeatureInput, strategy: StrategyConfig): UnscaledFeatures {
  const series = Array.isArray(input) ? (input as readonly TimeframeSeries[]) : undefined;
  const parts = series === undefined ? undefined : timeframeParts(strategy, series);
  const base = unfittedSpec(strategy, parts);
  const baseBars =
    series === undefined ? (input as OhlcvColumns) : seriesOf(series, parts![0]!.timeframe).bars;
  const columns =
    base.timeframes === undefined
      ? plain(rawFeatureColumns(baseBars, base.indicators, base.fuzzySets, base.lookbackPeriods))
      : alignedColumns(base.timeframes, series!, base);
  const barIndex = completeBarIndex(columns, barCount(baseBars));
  const rows = barIndex.length;
  if (rows === 0) {
    throw new ValidationError(
      `No complete feature rows from ${barCount(baseBars)} bars: the strategy's indicators need more history`,
      { details: { field: 'bars', bars: barCount(baseBars) } },
    );
  }
  return { columns, barIndex, rows, baseBars, spec: { ...base, warmupBars: barIndex[0]! } };
}

/**
 * Rebuilds feature rows from new bars with a stored {@link FeatureSpec}, applying its stored scaler
 * (never refitting), so inference sees exactly the transformation training did. Bars too early to
 * have every feature produce no row; pass at least `spec.warmupBars + 1` bars for one row. A
 * multi-timeframe spec needs one series per timeframe of `spec.timeframes`.
 * @throws ValidationError when a timeframe is missing, or the spec's column list does not match what
 *   it computes (a spec from an incompatible version).
 */
export function applyFeatureSpec(spec: FeatureSpec, input: FeatureInput): FeatureMatrix {
  const series = Array.isArray(input) ? (input as readonly TimeframeSeries[]) : undefined;
  let baseBars: OhlcvColumns;
  let columns: ColumnView[];
  if (spec.timeframes === undefined) {
    baseBars = series === undefined ? (input as OhlcvColumns) : onlySeries(series).bars;
    columns = plain(rawFeatureColumns(baseBars, spec.indicators, spec.fuzzySets, spec.lookbackPeriods));
  } else {
    if (series === undefined) {
      throw new ValidationError(
        `This model reads ${spec.timeframes.map((p) => p.timeframe).join(', ')}: give bars for each timeframe`,
        { details: { field: 'timeframes' } },
      );
    }
    baseBars = seriesOf(series, spec.timeframes[0]!.timeframe).bars;
    columns = alignedColumns(spec.timeframes, series, spec);
  }
  if (columns.length !== spec.columns.length) {
    throw new ValidationError(
      `Feature spec lists ${spec.columns.length} columns but its indicators and fuzzy sets produce ${columns.length}`,
      { details: { field: 'columns' } },
    );
  }
  const barIndex = completeBarIndex(columns, barCount(baseBars));
  const matrix = new Float32Array(barIndex.length * columns.length);
  packRows({ columns, bars: barIndex }, spec.scaler, matrix, 0);
  return {
    matrix,
    rows: barIndex.length,
    columns: spec.columns,
    times: timesOf(baseBars, barIndex),
    barIndex,
    scaler: spec.scaler,
  };
}

/**
 * Every part's columns computed on its own timeframe's bars (lags are of that timeframe's bars: the
 * previous 4h bar, not the previous hour); a higher timeframe's columns are views that show each
 * base row the last bar closed by then (see {@link lastClosedIndex}).
 */
function alignedColumns(
  parts: readonly TimeframeFeatureSpec[],
  series: readonly TimeframeSeries[],
  spec: Pick<FeatureSpec, 'indicators' | 'lookbackPeriods'>,
): ColumnView[] {
  const base = parts[0]!;
  const baseBars = seriesOf(series, base.timeframe).bars;
  return parts.flatMap((part, i) => {
    const own = seriesOf(series, part.timeframe).bars;
    const columns = rawFeatureColumns(own, spec.indicators, part.fuzzySets, spec.lookbackPeriods);
    if (i === 0) return plain(columns);
    const index = lastClosedIndex(baseBars.time, base.barMs, own.time, part.barMs);
    return columns.map((values) => ({ values, index }));
  });
}

function plain(columns: Float64Array[]): ColumnView[] {
  return columns.map((values) => ({ values }));
}

function seriesOf(series: readonly TimeframeSeries[], timeframe: string): TimeframeSeries {
  const found = series.find((s) => s.timeframe === timeframe);
  if (found === undefined) {
    throw new ValidationError(
      `No ${timeframe} bars given: this model reads ${timeframe} (given: ${series.map((s) => s.timeframe).join(', ') || 'none'})`,
      { details: { field: 'timeframes', missing: timeframe } },
    );
  }
  return found;
}

function onlySeries(series: readonly TimeframeSeries[]): TimeframeSeries {
  if (series.length !== 1) {
    throw new ValidationError(`This model reads one timeframe; ${series.length} series were given`, {
      details: { field: 'timeframes' },
    });
  }
  return series[0]!;
}

function timesOf(bars: OhlcvColumns, barIndex: Int32Array): Float64Array {
  return Float64Array.from(barIndex, (bar) => bars.time[bar]!);
}
