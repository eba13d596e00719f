import type { Trade } from '../engine/trade';
import { barReturns, drawdown, mean, std } from './series-stats';

/** `ktrdr`: Python KTRDR's formulas; `standard`: annualised from the bar size, with a risk-free rate. */
export type MetricsMode = 'ktrdr' | 'standard';

/** The metrics modes, for validation. */
export const METRICS_MODES: readonly MetricsMode[] = ['standard', 'ktrdr'];

/** Python KTRDR's annualisation factor, whatever the bar size. */
export const KTRDR_PERIODS_PER_YEAR = 252;
/** Python KTRDR's stand-in for infinity (and for a profit factor without losses). */
export const KTRDR_CAP = 999_999;

const YEAR_MS = 365.25 * 86_400_000;

/** What the metrics are computed from. */
export interface MetricsInput {
  /** Equity at each close of the range. */
  equity: ArrayLike<number>;
  /** Open time of each of those bars (epoch ms). */
  times: ArrayLike<number>;
  /** Position at each close (0 flat): exposure. */
  position: ArrayLike<number>;
  trades: readonly Trade[];
  initialCapital: number;
}

/** Options of {@link computeMetrics}. */
export interface MetricsOptions {
  mode: MetricsMode;
  /** `standard`: bars per trading year (see `periodsPerYear`). */
  periodsPerYear: number;
  /** `standard`: annual risk-free rate as a fraction (default 0). */
  riskFreeRate?: number;
}

/**
 * Every metric of a run. Numbers are fractions (0.12 = 12%), money in the account's currency. A
 * value a formula cannot give (no trades, zero deviation) is null in `standard` mode; `ktrdr` mode
 * does what Python KTRDR did: NaN becomes 0, infinity +-999999.
 */
export interface BacktestMetrics {
  mode: MetricsMode;
  /** The annualisation factor used (`ktrdr`: 252). */
  periods_per_year: number;
  risk_free_rate: number;
  initial_capital: number;
  final_equity: number;
  total_return: number;
  total_return_pct: number;
  annualized_return: number | null;
  volatility: number | null;
  sharpe_ratio: number | null;
  sortino_ratio: number | null;
  calmar_ratio: number | null;
  max_drawdown: number;
  max_drawdown_pct: number;
  max_drawdown_duration_bars: number;
  max_drawdown_duration_ms: number;
  recovery_factor: number | null;
  total_trades: number;
  winning_trades: number;
  losing_trades: number;
  win_rate: number | null;
  profit_factor: number | null;
  expectancy: number | null;
  avg_win: number | null;
  avg_loss: number | null;
  largest_win: number | null;
  largest_loss: number | null;
  /** Fraction of the range's closes with a position open. */
  exposure: number;
  avg_holding_ms: number | null;
  avg_holding_bars: number | null;
}

/** `value` where finite; otherwise what the mode makes of it. */
function clean(value: number, mode: MetricsMode): number | null {
  if (Number.isFinite(value)) return value;
  if (mode === 'standard') return null;
  return Number.isNaN(value) ? 0 : value > 0 ? KTRDR_CAP : -KTRDR_CAP;
}

/** Computes every metric of one equity curve and its trades (see docs/guides/backtesting.md). */
export function computeMetrics(input: MetricsInput, options: MetricsOptions): BacktestMetrics {
  const { mode } = options;
  const { equity, times, trades, initialCapital } = input;
  const n = equity.length;
  const finalEquity = n === 0 ? initialCapital : equity[n - 1]!;
  const totalReturnPct = finalEquity / initialCapital - 1;
  const returns = barReturns(equity);
  const ktrdr = mode === 'ktrdr';
  const periods = ktrdr ? KTRDR_PERIODS_PER_YEAR : options.periodsPerYear;
  const riskFree = ktrdr ? 0 : (options.riskFreeRate ?? 0);
  const rfBar = (1 + riskFree) ** (1 / periods) - 1;
  const root = Math.sqrt(periods);
  const meanReturn = mean(returns);
  let annualized: number;
  let volatility: number;
  let sortino: number;
  let sharpe: number;
  if (ktrdr) {
    // Python: calendar years between the first and last bar; population deviations; no risk-free rate.
    const years = n < 2 ? NaN : (times[n - 1]! - times[0]!) / YEAR_MS;
    annualized = years > 0 ? (finalEquity / initialCapital) ** (1 / years) - 1 : NaN;
    const deviation = std(returns, 0);
    volatility = deviation * root;
    sharpe = (meanReturn / deviation) * root;
    sortino =
      (meanReturn /
        std(
          returns.filter((r) => r < 0),
          0,
        )) *
      root;
  } else {
    annualized = returns.length > 0 ? (finalEquity / initialCapital) ** (periods / returns.length) - 1 : NaN;
    const deviation = std(returns, 1);
    volatility = deviation * root;
    sharpe = ((meanReturn - rfBar) / deviation) * root;
    // Downside deviation below the risk-free rate, over every period.
    let downside = 0;
    for (const r of returns) downside += Math.min(0, r - rfBar) ** 2;
    sortino = ((meanReturn - rfBar) / Math.sqrt(downside / returns.length)) * root;
  }
  const dd = drawdown(equity, times);
  const wins = trades.filter((t) => t.pnl > 0).map((t) => t.pnl);
  const losses = trades.filter((t) => t.pnl < 0).map((t) => t.pnl);
  const grossProfit = wins.reduce((a, b) => a + b, 0);
  const grossLoss = -losses.reduce((a, b) => a + b, 0);
  let exposed = 0;
  for (let k = 0; k < input.position.length; k++) if (input.position[k] !== 0) exposed++;
  const pnl = trades.map((t) => t.pnl);
  const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? NaN : a > 0 ? Infinity : -Infinity) : a / b);
  return {
    mode,
    periods_per_year: periods,
    risk_free_rate: riskFree,
    initial_capital: initialCapital,
    final_equity: finalEquity,
    total_return: finalEquity - initialCapital,
    total_return_pct: totalReturnPct,
    annualized_return: clean(annualized, mode),
    volatility: clean(volatility, mode),
    sharpe_ratio: clean(sharpe, mode),
    sortino_ratio: clean(sortino, mode),
    calmar_ratio: clean(ratio(annualized, dd.pct), mode),
    max_drawdown: dd.abs,
    max_drawdown_pct: dd.pct,
    max_drawdown_duration_bars: dd.durationBars,
    max_drawdown_duration_ms: dd.durationMs,
    recovery_factor: clean(ratio(finalEquity - initialCapital, dd.abs), mode),
    total_trades: trades.length,
    winning_trades: wins.length,
    losing_trades: losses.length,
    win_rate: clean(wins.length / trades.length, mode),
    profit_factor: clean(ratio(grossProfit, grossLoss), mode),
    expectancy: clean(mean(pnl), mode),
    avg_win: clean(mean(wins), mode),
    avg_loss: clean(mean(losses), mode),
    largest_win: clean(wins.length === 0 ? NaN : wins.reduce((a, b) => Math.max(a, b)), mode),
    largest_loss: clean(losses.length === 0 ? NaN : losses.reduce((a, b) => Math.min(a, b)), mode),
    exposure: n === 0 ? 0 : exposed / input.position.length,
    avg_holding_ms: clean(mean(trades.map((t) => t.holdingMs)), mode),
    avg_holding_bars: clean(mean(trades.map((t) => t.bars)), mode),
  };
}
