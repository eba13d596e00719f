import type { FittedScaler } from './scaler';

/** Model inputs for a run of bars: one row per bar that has every feature. */
export interface FeatureMatrix {
  /** Row-major `rows x columns.length`, scaled when the strategy scales features. */
  readonly matrix: Float32Array;
  readonly rows: number;
  readonly columns: readonly string[];
  /** Bar open time (epoch ms UTC) of each row. */
  readonly times: Float64Array;
  /** Index in the input bars of each row (warm-up bars and bars with missing values have no row). */
  readonly barIndex: Int32Array;
  /** The scaler applied, or null. */
  readonly scaler: FittedScaler | null;
}

/**
 * Packs the bars whose every column is finite into a row-major Float64 matrix (scaling happens in
 * double precision before the one conversion to Float32).
 * @internal
 */
export function completeRows(
  columns: readonly Float64Array[],
  bars: number,
): { values: Float64Array; barIndex: Int32Array } {
  const keep: number[] = [];
  for (let i = 0; i < bars; i++) {
    if (columns.every((column) => Number.isFinite(column[i]!))) keep.push(i);
  }
  const width = columns.length;
  const values = new Float64Array(keep.length * width);
  keep.forEach((bar, row) => {
    for (let c = 0; c < width; c++) values[row * width + c] = columns[c]![bar]!;
  });
  return { values, barIndex: Int32Array.from(keep) };
}
