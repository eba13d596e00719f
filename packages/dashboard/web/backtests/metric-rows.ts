import type { MetricValues } from '../api/backtest-types';

/** How a metric reads in the table. */
type MetricFormat = 'percent' | 'money' | 'ratio' | 'count' | 'duration';

/** The metrics table's rows, in reading order: returns, risk, trades. */
export const METRIC_ROWS: readonly { key: string; label: string; format: MetricFormat }[] = [
  { key: 'final_equity', label: 'Final equity', format: 'money' },
  { key: 'total_return_pct', label: 'Total return', format: 'percent' },
  { key: 'annualized_return', label: 'Annualised return', format: 'percent' },
  { key: 'volatility', label: 'Volatility', format: 'percent' },
  { key: 'sharpe_ratio', label: 'Sharpe ratio', format: 'ratio' },
  { key: 'sortino_ratio', label: 'Sortino ratio', format: 'ratio' },
  { key: 'calmar_ratio', label: 'Calmar ratio', format: 'ratio' },
  { key: 'max_drawdown', label: 'Max drawdown', format: 'money' },
  { key: 'max_drawdown_pct', label: 'Max drawdown %', format: 'percent' },
  { key: 'max_drawdown_duration_ms', label: 'Longest drawdown', format: 'duration' },
  { key: 'total_trades', label: 'Trades', format: 'count' },
  { key: 'win_rate', label: 'Win rate', format: 'percent' },
  { key: 'profit_factor', label: 'Profit factor', format: 'ratio' },
  { key: 'expectancy', label: 'Expectancy', format: 'money' },
  { key: 'avg_win', label: 'Average win', format: 'money' },
  { key: 'avg_loss', label: 'Average loss', format: 'money' },
  { key: 'largest_win', label: 'Largest win', format: 'money' },
  { key: 'largest_loss', label: 'Largest loss', format: 'money' },
  { key: 'exposure', label: 'Exposure', format: 'percent' },
  { key: 'avg_holding_ms', label: 'Average holding time', format: 'duration' },
];

const HOUR_MS = 3_600_000;

/** A duration in ms as hours or days. */
function duration(ms: number): string {
  return ms < 48 * HOUR_MS ? `${(ms / HOUR_MS).toFixed(1)} h` : `${(ms / (24 * HOUR_MS)).toFixed(1)} d`;
}

/**
 * One metric as the table shows it: `n/a` where the formula gives none (null: no trades, zero
 * deviation) or the answer lacks it, so a missing value never reads as zero.
 */
export function formatMetric(value: MetricValues[string] | undefined, format: MetricFormat): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  switch (format) {
    case 'percent':
      return `${(value * 100).toFixed(2)}%`;
    case 'money':
      return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'ratio':
      return value.toFixed(2);
    case 'count':
      return String(Math.round(value));
    case 'duration':
      return duration(value);
  }
}

/** The table's rows: label, strategy, buy-and-hold. */
export function metricTable(strategy: MetricValues, buyAndHold: MetricValues): [string, string, string][] {
  return METRIC_ROWS.map(({ key, label, format }) => [
    label,
    formatMetric(strategy[key], format),
    formatMetric(buyAndHold[key], format),
  ]);
}
