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
