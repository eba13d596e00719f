import type { OperationProgress } from '@ktrdr/core';
import type { BacktestAdapter } from '../adapter/backtest-adapter';
import type { BacktestRequestInput, BacktestSummary } from '../contract/backtest-schemas';
import type { BacktestProgress } from '../runner/backtest-runner';

/** Options of {@link BacktestManager.runBacktest}. */
export interface RunBacktestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: OperationProgress) => void;
}

/** The steps of a run, in order: the operation's `steps_completed` of `steps_total`. */
const STEPS = [
  'Loading the model',
  'Loading bars',
  'Computing features and signals',
  'Simulating trades',
  'Saving the results',
  'Done',
];

/** Maps a run's progress onto an operation's progress fields. */
export function backtestOperationProgress(progress: BacktestProgress): OperationProgress {
  const index = STEPS.indexOf(progress.step);
  return {
    percentage: progress.percentage,
    current_step: progress.step,
    steps_completed: index < 0 ? 0 : index,
    steps_total: STEPS.length - 1,
    ...(progress.bars === undefined
      ? {}
      : { items_total: progress.bars, current_item: `${progress.bars} bars` }),
  };
}

/**
 * The backtest path's business logic: runs one backtest on the host, turning its progress into the
 * operation's. A cancel aborts the call, which stops the run on the host (in-process: the handler's
 * signal; over HTTP: the closed request).
 */
export class BacktestManager {
  constructor(readonly adapter: BacktestAdapter) {}

  /** Runs a backtest to its end and resolves with its summary. */
  runBacktest(input: BacktestRequestInput, options: RunBacktestOptions = {}): Promise<BacktestSummary> {
    return this.adapter.run(input, {
      signal: options.signal,
      onProgress: (progress) => options.onProgress?.(backtestOperationProgress(progress)),
    });
  }
}
