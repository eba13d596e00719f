import type { BarMarker } from '../charts/price-chart';
import type { BacktestTrade, EquityColumns } from '../api/backtest-types';

/** An equity curve ready to draw: times in seconds since the epoch, ascending, one value each. */
export interface EquitySeries {
  time: Float64Array;
  equity: Float64Array;
  buyAndHold: Float64Array;
  /** Fall from the running peak of `equity`, as a fraction (0 at a new high, -0.1 = 10% below it). */
  drawdown: Float64Array;
  /** The same for buy-and-hold. */
  buyAndHoldDrawdown: Float64Array;
  length: number;
}

/** Each value's fall from the running peak before it, as a (zero or negative) fraction. */
export function drawdownOf(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let peak = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > peak) peak = v;
    out[i] = peak > 0 ? v / peak - 1 : 0;
  }
  return out;
}

/**
 * The API's equity columns as typed arrays, with the drawdowns. Points whose date does not parse,
 * or that do not come after the previous one (a chart's time axis must ascend), are left out and
 * counted in `skipped`, so the page can say so rather than draw a wrong curve silently.
 */
export function equitySeriesOf(columns: EquityColumns): { series: EquitySeries; skipped: number } {
  const size = columns.dates.length;
  const time = new Float64Array(size);
  const equity = new Float64Array(size);
  const buyAndHold = new Float64Array(size);
  let n = 0;
  for (let i = 0; i < size; i++) {
    const seconds = Date.parse(columns.dates[i] as string) / 1000;
    const value = columns.equity[i];
    if (!Number.isFinite(seconds) || typeof value !== 'number' || (n > 0 && seconds <= time[n - 1]!))
      continue;
    time[n] = seconds;
    equity[n] = value;
    buyAndHold[n] = columns.buy_and_hold[i] ?? Number.NaN;
    n++;
  }
  const series = {
    time: time.subarray(0, n),
    equity: equity.subarray(0, n),
    buyAndHold: buyAndHold.subarray(0, n),
    drawdown: drawdownOf(equity.subarray(0, n)),
    buyAndHoldDrawdown: drawdownOf(buyAndHold.subarray(0, n)),
    length: n,
  };
  return { series, skipped: size - n };
}

/**
 * Trades as markers on the price chart: ▲ where the strategy buys (a long's entry, a short's
 * exit), ▼ where it sells; entries are labelled L or S, exits carry no text so the candles stay
 * readable.
 */
export function tradeMarkers(trades: readonly BacktestTrade[]): BarMarker[] {
  const markers: BarMarker[] = [];
  for (const trade of trades) {
    const entry = Date.parse(trade.entry_time) / 1000;
    const exit = Date.parse(trade.exit_time) / 1000;
    const long = trade.side === 'long';
    if (Number.isFinite(entry))
      markers.push({ time: entry, kind: long ? 'buy' : 'sell', text: long ? 'L' : 'S' });
    if (Number.isFinite(exit)) markers.push({ time: exit, kind: long ? 'sell' : 'buy', text: '' });
  }
  return markers;
}
