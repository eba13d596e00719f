import { describe, expect, it } from 'vitest';
import type { BacktestTrade } from '../../web/api/backtest-types';
import { indicatorPanesOf } from '../../web/api/indicator-columns';
import { drawdownOf, equitySeriesOf, tradeMarkers } from '../../web/backtests/equity-series';
import { formatMetric, metricTable } from '../../web/backtests/metric-rows';
import { pageOf } from '../../web/pages/page-registry';

const hour = (h: number) => new Date(Date.UTC(2024, 0, 2, h)).toISOString();

describe('the equity curve', () => {
  it('draws down from the running peak, as a fraction', () => {
    const dd = drawdownOf([100, 110, 99, 121, 108.9]);
    expect([...dd].map((v) => Number(v.toFixed(6)))).toEqual([0, 0, -0.1, 0, -0.1]);
  });

  it("reads the API's columns, leaving out (and counting) unreadable or out-of-order points", () => {
    const { series, skipped } = equitySeriesOf({
      total_points: 5,
      dates: [hour(1), hour(2), 'never', hour(2), hour(3)],
      equity: [100, 90, 95, 80, 99],
      buy_and_hold: [100, 105, 100, 100, 84],
      position: [0, 1, 1, 1, 0],
    });
    expect(skipped).toBe(2);
    expect(series.length).toBe(3);
    expect([...series.time]).toEqual([1, 2, 3].map((h) => Date.UTC(2024, 0, 2, h) / 1000));
    expect([...series.equity]).toEqual([100, 90, 99]);
    expect([...series.drawdown].map((v) => Number(v.toFixed(6)))).toEqual([0, -0.1, -0.01]);
    expect([...series.buyAndHoldDrawdown].map((v) => Number(v.toFixed(6)))).toEqual([0, 0, -0.2]);
  });

  it('marks trades: buys up, sells down, entries labelled L or S', () => {
    const trade = (side: 'long' | 'short', entry: number, exit: number): BacktestTrade => ({
      side,
      entry_time: hour(entry),
      entry_price: 100,
      exit_time: hour(exit),
      exit_price: 101,
      quantity: 1,
      pnl: 1,
      return_pct: 0.01,
      exit_reason: 'signal',
    });
    const t = (h: number) => Date.UTC(2024, 0, 2, h) / 1000;
    expect(tradeMarkers([trade('long', 1, 3), trade('short', 4, 6)])).toEqual([
      { time: t(1), kind: 'buy', text: 'L' },
      { time: t(3), kind: 'sell', text: '' },
      { time: t(4), kind: 'sell', text: 'S' },
      { time: t(6), kind: 'buy', text: '' },
    ]);
  });
});

describe('the metrics table', () => {
  it('formats each kind of metric, and shows n/a rather than zero for a missing value', () => {
    expect(formatMetric(0.12345, 'percent')).toBe('12.35%');
    expect(formatMetric(12345.678, 'money')).toBe('12,345.68');
    expect(formatMetric(1.234, 'ratio')).toBe('1.23');
    expect(formatMetric(7, 'count')).toBe('7');
    expect(formatMetric(5 * 3_600_000, 'duration')).toBe('5.0 h');
    expect(formatMetric(3 * 86_400_000, 'duration')).toBe('3.0 d');
    expect(formatMetric(null, 'ratio')).toBe('n/a');
    expect(formatMetric(undefined, 'percent')).toBe('n/a');
  });

  it('puts the strategy beside buy-and-hold, row by row', () => {
    const rows = metricTable(
      { total_return_pct: 0.1, total_trades: 3, sharpe_ratio: null },
      { total_return_pct: 0.05, total_trades: 1, sharpe_ratio: 0.5 },
    );
    expect(rows.find(([label]) => label === 'Total return')).toEqual(['Total return', '10.00%', '5.00%']);
    expect(rows.find(([label]) => label === 'Sharpe ratio')).toEqual(['Sharpe ratio', 'n/a', '0.50']);
    expect(rows.find(([label]) => label === 'Trades')).toEqual(['Trades', '3', '1']);
  });

  it('is reached at #/backtests', () => {
    expect(pageOf('#/backtests').title).toBe('Backtests');
  });
});

describe('indicator columns into panes', () => {
  const answer = {
    strategy: 's',
    symbol: 'AAPL',
    timeframe: '1h',
    simulated: true,
    rows: 2,
    outputs: [
      { column: 'rsi.value', key: 'rsi', indicator: 'RSI', output: 'value', overlay: false },
      { column: 'sma.value', key: 'sma', indicator: 'SMA', output: 'value', overlay: true },
      { column: 'macd.macd', key: 'macd', indicator: 'MACD', output: 'macd', overlay: false },
      { column: 'macd.signal', key: 'macd', indicator: 'MACD', output: 'signal', overlay: false },
    ],
    columns: {
      time: [3_600_000, 7_200_000],
      'rsi.value': [null, 55],
      'sma.value': [100, 101],
      'macd.macd': [null, 0.5],
      'macd.signal': [null, null],
    },
  };

  it('puts price-scaled outputs over the candles and each other indicator in one pane, nulls as NaN', () => {
    const panes = indicatorPanesOf(answer);
    expect([...panes.time]).toEqual([3600, 7200]);
    expect(panes.overlays.map((l) => l.column)).toEqual(['sma.value']);
    expect(panes.panes.map((p) => [p.key, p.lines.map((l) => l.column)])).toEqual([
      ['rsi', ['rsi.value']],
      ['macd', ['macd.macd', 'macd.signal']],
    ]);
    expect([...panes.panes[0]!.lines[0]!.values]).toEqual([Number.NaN, 55]);
  });

  it('refuses an answer whose listed column is missing or of another length', () => {
    const { 'rsi.value': _, ...withoutRsi } = answer.columns;
    expect(() => indicatorPanesOf({ ...answer, columns: withoutRsi })).toThrow(/rsi.value/);
    expect(() => indicatorPanesOf({ ...answer, columns: { ...answer.columns, 'sma.value': [1] } })).toThrow(
      /sma.value/,
    );
    expect(() => indicatorPanesOf({ ...answer, columns: {} })).toThrow(/time/);
  });
});
