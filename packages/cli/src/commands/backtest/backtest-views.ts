import type { BacktestDetail, BacktestSummary } from '@ktrdr/client';
import { formatBarTime, timeFormat } from '../../output/formatters';
import type { ChartBlock, RecordBlock, TableBlock, ViewBlock, ViewField } from '../../output/view';
import { formatDuration } from '../../render/durations';
import { formatCount, formatFixed, formatPercent } from '../../render/numbers';

type Metrics = Record<string, number | string | null>;

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const percent = (value: unknown) => (num(value) === undefined ? '-' : formatPercent(num(value)!));
const money = (value: unknown) => formatFixed(num(value), 2);
const ratio = (value: unknown) => formatFixed(num(value), 2);
const count = (value: unknown) => (num(value) === undefined ? '-' : formatCount(num(value)!));
const duration = (value: unknown) => (num(value) === undefined ? '-' : formatDuration(num(value)!));

/** The metrics shown, in order: key, label, format. */
const METRIC_ROWS: readonly [string, string, (value: unknown) => string][] = [
  ['final_equity', 'final equity', money],
  ['total_return', 'total return', money],
  ['total_return_pct', 'total return %', percent],
  ['annualized_return', 'annualised return', percent],
  ['volatility', 'volatility (annual)', percent],
  ['sharpe_ratio', 'Sharpe', ratio],
  ['sortino_ratio', 'Sortino', ratio],
  ['calmar_ratio', 'Calmar', ratio],
  ['max_drawdown', 'max drawdown', money],
  ['max_drawdown_pct', 'max drawdown %', percent],
  ['max_drawdown_duration_ms', 'longest drawdown', duration],
  ['total_trades', 'trades', count],
  ['win_rate', 'win rate', percent],
  ['profit_factor', 'profit factor', ratio],
  ['expectancy', 'expectancy / trade', money],
  ['avg_win', 'average win', money],
  ['avg_loss', 'average loss', money],
  ['largest_win', 'largest win', money],
  ['largest_loss', 'largest loss', money],
  ['exposure', 'exposure', percent],
  ['avg_holding_ms', 'average holding', duration],
];

/** The metrics of a backtest beside buy-and-hold on the same bars: one row per metric. */
export function metricsTable(summary: BacktestSummary): TableBlock {
  const strategy = summary.metrics as Metrics;
  const hold = summary.buy_and_hold as Metrics;
  return {
    kind: 'table',
    title: `Metrics (${summary.metrics_mode} mode, ${formatCount(Number(strategy['periods_per_year']))} bars a year)`,
    columns: [
      { key: 'metric', header: 'metric' },
      { key: 'strategy', header: 'strategy', align: 'right' },
      { key: 'buy_and_hold', header: 'buy & hold', align: 'right' },
    ],
    rows: METRIC_ROWS.map(([key, label, format]) => ({
      metric: label,
      key,
      strategy: strategy[key] ?? null,
      buy_and_hold: hold[key] ?? null,
      format,
    })).map((row) => ({
      metric: row.metric,
      strategy: row.format(row.strategy),
      buy_and_hold: row.format(row.buy_and_hold),
    })),
  };
}

/** What was backtested, on what, with which settings. */
export function summaryRecord(summary: BacktestSummary, title?: string): RecordBlock {
  const s = summary.settings;
  const fields: ViewField[] = [
    { key: 'backtest_id', label: 'backtest', value: summary.backtest_id },
    { key: 'model', label: 'model', value: summary.model },
    {
      key: 'series',
      label: 'bars',
      value: `${summary.symbol} ${summary.timeframe} · ${formatCount(summary.bars)} bars`,
    },
    {
      key: 'range',
      label: 'range',
      value: `${formatBarTime(summary.start_date, summary.timeframe)} to ${formatBarTime(summary.end_date, summary.timeframe)}`,
    },
    { key: 'simulated', label: 'data', value: summary.simulated ? 'SIMULATED' : 'real' },
    {
      key: 'settings',
      label: 'settings',
      value:
        `capital ${money(s['capital'])}, ${percent(s['position_fraction'])} a position (${String(s['units'])} units), ` +
        `commission ${percent(s['commission'])}/side, slippage ${formatFixed(num(s['slippage'])! * 100, 3)}%, ` +
        `confidence >= ${String(s['confidence_threshold'])}, ${String(s['min_signal_separation'])} h between orders` +
        (s['allow_short'] === false ? ', long only' : ''),
    },
    {
      key: 'signals',
      label: 'signals',
      value: Object.entries(summary.signals)
        .map(([name, n]) => `${name.replace(/_/g, ' ')} ${formatCount(n)}`)
        .join(', '),
    },
    { key: 'runtime', label: 'inference', value: summary.runtime },
    { key: 'created_at', label: 'run at', value: summary.created_at, format: timeFormat },
  ];
  return { kind: 'record', title: title ?? `Backtest ${summary.backtest_id}`, fields };
}

/** The equity curve beside buy-and-hold, as a terminal chart. */
export function equityChart(detail: BacktestDetail): ChartBlock {
  const dates = detail.equity.dates;
  return {
    kind: 'chart',
    title: 'Equity',
    series: [
      { name: 'strategy', values: detail.equity.equity },
      { name: 'buy & hold', values: detail.equity.buy_and_hold },
    ],
    options: {
      height: 10,
      formatY: (v) => formatFixed(v, 0),
      xLabels: [
        formatBarTime(dates[0] ?? '', detail.timeframe),
        formatBarTime(dates.at(-1) ?? '', detail.timeframe),
      ],
    },
  };
}

/** The latest `limit` trades. */
export function tradesTable(detail: BacktestDetail, limit: number): TableBlock {
  const trades = detail.trades.slice(-limit);
  return {
    kind: 'table',
    title: `${trades.length < detail.trades.length ? `Latest ${trades.length} of ` : ''}${formatCount(detail.trades.length)} trades`,
    empty: 'No trades: no signal passed the confidence threshold (try --threshold lower).',
    columns: [
      { key: 'side', header: 'side' },
      { key: 'entry_time', header: 'entry', format: (v) => formatBarTime(String(v), detail.timeframe) },
      { key: 'entry_price', header: 'at', align: 'right', format: money },
      { key: 'exit_time', header: 'exit', format: (v) => formatBarTime(String(v), detail.timeframe) },
      { key: 'exit_price', header: 'at', align: 'right', format: money },
      {
        key: 'quantity',
        header: 'units',
        align: 'right',
        format: (v) => formatFixed(num(v), Number.isInteger(v) ? 0 : 4),
      },
      { key: 'pnl', header: 'pnl', align: 'right', format: money },
      { key: 'return_pct', header: 'return', align: 'right', format: percent },
    ],
    rows: trades,
  };
}

/** Warnings worth reading before the numbers (in-sample range, missing history). */
export function warningBlocks(summary: BacktestSummary): ViewBlock[] {
  return summary.warnings.length === 0
    ? []
    : [{ kind: 'text', text: summary.warnings.map((w) => `warning: ${w}`).join('\n') }];
}
