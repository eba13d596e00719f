/**
 * The public surface of `@ktrdr/backtest`: run a trained model over stored bars with positions,
 * costs and Python KTRDR's decision rules, and measure the result in two metrics modes beside a
 * buy-and-hold baseline. See docs/guides/backtesting.md.
 */
export {
  type BacktestSettings,
  type BacktestSettingsInput,
  type StrategyDecisions,
  type UnitMode,
  DEFAULT_SETTINGS,
  resolveSettings,
  settingsJson,
} from './engine/backtest-settings';
export {
  type BarSignals,
  type BaselineResult,
  type SimulationBars,
  type SimulationResult,
  buyAndHold,
  simulate,
  unitsFor,
} from './engine/simulate';
export type { Trade } from './engine/trade';
export { type Evaluation, evaluate } from './engine/evaluate';
export { featureSpecOf, modelSignals } from './engine/model-signals';
export {
  type BacktestMetrics,
  type MetricsInput,
  type MetricsMode,
  type MetricsOptions,
  KTRDR_CAP,
  KTRDR_PERIODS_PER_YEAR,
  METRICS_MODES,
  computeMetrics,
} from './metrics/compute-metrics';
export {
  type TradingYear,
  FOREX_YEAR,
  FUTURES_YEAR,
  STOCK_YEAR,
  periodsPerYear,
  tradingYearOf,
} from './metrics/periods-per-year';
export {
  backtestSettingsSchema,
  backtestRequestSchema,
  backtestSummarySchema,
  backtestDetailSchema,
  backtestListSchema,
  tradeSchema,
  type BacktestDetail,
  type BacktestRequestInput,
  type BacktestSummary,
} from './contract/backtest-schemas';
export { backtestHostContract, type BacktestHostContract } from './contract/backtest-host-contract';
export { backtestApiContract, type BacktestApiContract } from './contract/backtest-api-contract';
export { BACKTEST_ID_PATTERN, createBacktestId, validateBacktestId } from './storage/backtest-id';
export { BACKTEST_FILES, type EquityCurve, type TradeJson } from './storage/backtest-files';
export {
  BacktestStore,
  defaultBacktestsDir,
  type BacktestProblem,
  type StoredBacktest,
} from './storage/backtest-store';
export {
  BacktestRunner,
  type BacktestProgress,
  type BacktestRunnerOptions,
  type LoadBacktestBars,
} from './runner/backtest-runner';
export { createBacktestHostService } from './host-service/create-backtest-host-service';
export { BacktestAdapter, type BacktestAdapterTransportOptions } from './adapter/backtest-adapter';
export {
  BacktestManager,
  backtestOperationProgress,
  type RunBacktestOptions,
} from './manager/backtest-manager';
export { BacktestService, dataStoreBars, type BacktestServiceOptions } from './service/backtest-service';
export { createBacktestApiService } from './api/create-backtest-api-service';
export { createBacktestImportService } from './api/create-backtest-import-service';
export { backtestImportContract, type BacktestImportContract } from './contract/backtest-import-contract';
export {
  BACKTEST_BUNDLE_FILES,
  backtestBundleSchema,
  parseBacktestBundle,
  type BacktestBundle,
} from './storage/backtest-import';
