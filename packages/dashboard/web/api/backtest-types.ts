/** The wire shapes of `/backtests` as far as the dashboard reads them (see @ktrdr/backtest's contract). */

/** Metric values by name: numbers, null where a formula gives none, the mode's name. */
export type MetricValues = Record<string, number | string | null>;

/** A stored backtest as listed (`GET /backtests`), and a backtest operation's result summary. */
export interface BacktestSummary {
  backtest_id: string;
  created_at: string;
  model: string;
  symbol: string;
  timeframe: string;
  /** First and last bar of the range, ISO 8601 UTC. */
  start_date: string;
  end_date: string;
  bars: number;
  simulated: boolean;
  metrics_mode: 'standard' | 'ktrdr';
  metrics: MetricValues;
  /** The same metrics for buying and holding the same bars. */
  buy_and_hold: MetricValues;
  warnings: string[];
}

/** One trade. */
export interface BacktestTrade {
  side: 'long' | 'short';
  entry_time: string;
  entry_price: number;
  exit_time: string;
  exit_price: number;
  quantity: number;
  pnl: number;
  return_pct: number;
  exit_reason: 'signal' | 'end';
}

/**
 * The equity curve as the API answers it: already columns (one array per field), resampled to at
 * most the asked number of points.
 */
export interface EquityColumns {
  /** Points of the stored curve (one per bar). */
  total_points: number;
  dates: string[];
  equity: number[];
  buy_and_hold: number[];
  position: number[];
}

/** A stored backtest in full (`GET /backtests/:backtest_id?points=N`). */
export interface BacktestDetail extends BacktestSummary {
  trades: BacktestTrade[];
  equity: EquityColumns;
}

/** `GET /backtests`: the stored backtests, and the folders left out because they are damaged. */
export interface BacktestList {
  backtests: BacktestSummary[];
  problems: { backtest_id: string; message: string }[];
}
