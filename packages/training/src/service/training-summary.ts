/**
 * `result_summary` of a training operation (type `training`), as the API and the client's handles
 * answer it: what `TrainingService.startTraining` summarises a finished training into.
 */
// A type alias, not an interface: it stays assignable to `OperationInfo`'s `Record<string, unknown>`.
export type TrainingSummary = {
  /** The saved model's name (`{strategy}/{symbol}_{tf}_v{N}`), or null when none was saved. */
  model: string | null;
  strategy: string;
  /** The model's symbol: the one trained on, or the symbols joined for a multi-symbol model. */
  symbol: string;
  /** The model's timeframe: the one trained on, or the timeframes joined with `-`, base first. */
  timeframe: string;
  symbols: string[];
  /** Base timeframe first. */
  timeframes: string[];
  /** What the strategy file asked for that was read differently or ignored. */
  warnings: string[];
  /** Series loaded before training (`loadMissing`), as `SYMBOL timeframe`. */
  loaded: string[];
  /** True when the model was trained on simulated bars. */
  simulated: boolean;
  backend: string | null;
  /** Test-split metrics, or null when the training ran none. */
  test: unknown;
  test_by_symbol: unknown;
  epochs_run: unknown;
  /** The checkpoint's epoch a resumed training went on from (a queue job handed on), else null. */
  resumed_from_epoch: unknown;
};
