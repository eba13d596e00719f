import type { OperationInfo } from '@ktrdr/core';

/** `result_summary` of a finished data load (operation type `data_load`). */
// Type aliases, not interfaces: they stay assignable to `OperationInfo`'s `Record<string, unknown>`.
export type DataLoadSummary = {
  symbol: string;
  timeframe: string;
  mode: string;
  /** True when the bars came from the IB simulator, not a real gateway. */
  simulated: boolean;
  /** Bars stored for the series after the load. */
  bars: number;
  first_bar: string | null;
  last_bar: string | null;
  fetched_bars: number;
  added_bars: number;
  segments: number;
  /** Segments that could not be fetched: run the load again to retry them. */
  failed_segments: unknown[];
  /** Where the series is stored. */
  path: string;
};

/** `result_summary` of a finished training (operation type `training`). */
export type TrainingSummary = {
  /** The saved model's `strategy/model` name, or null when none was saved. */
  model: string | null;
  strategy: string;
  symbol: string;
  timeframe: string;
  /** True when the model was trained on simulated bars. */
  simulated: boolean;
  backend: string | null;
  test: unknown;
  epochs_run: unknown;
};

/** `result_summary` by operation type. */
export interface OperationSummaries {
  data_load: DataLoadSummary;
  training: TrainingSummary;
}

/** The `result_summary` of any operation: one of the known kinds, or an open record. */
export type AnyOperationSummary = OperationSummaries[keyof OperationSummaries] | Record<string, unknown>;

/** An operation snapshot whose `result_summary` has the type of its kind. */
export type TypedOperationInfo<S = AnyOperationSummary> = Omit<OperationInfo, 'result_summary'> & {
  result_summary?: S;
};
