import type { OperationInfo } from '@ktrdr/core';
import type { BacktestSummary } from '@ktrdr/backtest';
import type { DataLoadSummary } from '@ktrdr/data';
import type { TrainingSummary } from '@ktrdr/training';

// Defined where the summaries are made (`summarizeLoad`, `TrainingService.startTraining`), so the
// types cannot drift from the data.
export type { BacktestSummary, DataLoadSummary, TrainingSummary };

/** `result_summary` by operation type. */
export interface OperationSummaries {
  data_load: DataLoadSummary;
  training: TrainingSummary;
  backtest: BacktestSummary;
}

/** The `result_summary` of any operation: one of the known kinds, or an open record. */
export type AnyOperationSummary = OperationSummaries[keyof OperationSummaries] | Record<string, unknown>;

/** An operation snapshot whose `result_summary` has the type of its kind. */
export type TypedOperationInfo<S = AnyOperationSummary> = Omit<OperationInfo, 'result_summary'> & {
  result_summary?: S;
};
