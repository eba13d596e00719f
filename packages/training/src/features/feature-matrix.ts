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
