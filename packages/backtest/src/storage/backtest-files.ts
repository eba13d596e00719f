import type { Trade } from '../engine/trade';

/** File names inside a backtest's folder. */
export const BACKTEST_FILES = {
  trades: 'trades.csv',
  tradesJson: 'trades.json',
  equity: 'equity.csv',
  /** Written last: a folder without it is incomplete (being written, or a failed save). */
  metrics: 'metrics.json',
  /** Present only when the bars were simulated. */
  simulatedMarker: 'README-SIMULATED.txt',
} as const;

/** What the simulated marker file says. */
export const SIMULATED_BACKTEST_TEXT =
  'SIMULATED DATA - NOT MARKET DATA\nThis backtest ran on bars from the ktrdr IB Gateway simulator.\n';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const HOUR_MS = 3_600_000;

/** A trade as stored in `trades.json` and answered by the API (snake_case, ISO times). */
export function tradeJson(trade: Trade) {
  return {
    side: trade.side,
    entry_time: iso(trade.entryTime),
    entry_price: trade.entryPrice,
    exit_time: iso(trade.exitTime),
    exit_price: trade.exitPrice,
    quantity: trade.quantity,
    pnl: trade.pnl,
    return_pct: trade.returnPct,
    commission: trade.commission,
    bars: trade.bars,
    holding_hours: trade.holdingMs / HOUR_MS,
    exit_reason: trade.exitReason,
  };
}

/** {@link tradeJson} as a type. */
export type TradeJson = ReturnType<typeof tradeJson>;

const TRADE_COLUMNS = [
  'side',
  'entry_time',
  'entry_price',
  'exit_time',
  'exit_price',
  'quantity',
  'pnl',
  'return_pct',
  'commission',
  'bars',
  'holding_hours',
  'exit_reason',
] as const;

/** `trades.csv`: one row per trade, plus a `simulated` column so no row is mistaken for real trading. */
export function tradesCsv(trades: readonly TradeJson[], simulated: boolean): string {
  const lines = [[...TRADE_COLUMNS, 'simulated'].join(',')];
  for (const t of trades)
    lines.push([...TRADE_COLUMNS.map((c) => String(t[c])), String(simulated)].join(','));
  return `${lines.join('\n')}\n`;
}

/** The equity curve: one point per bar of the range. */
export interface EquityCurve {
  time: ArrayLike<number>;
  equity: ArrayLike<number>;
  buyAndHold: ArrayLike<number>;
  /** 1 long, -1 short, 0 flat, at the close. */
  position: ArrayLike<number>;
  close: ArrayLike<number>;
}

/** `equity.csv`: `date,equity,buy_and_hold,position,close,simulated`. */
export function equityCsv(curve: EquityCurve, simulated: boolean): string {
  const out: string[] = ['date,equity,buy_and_hold,position,close,simulated'];
  for (let k = 0; k < curve.time.length; k++) {
    out.push(
      `${iso(curve.time[k]!)},${curve.equity[k]},${curve.buyAndHold[k]},${curve.position[k]},${curve.close[k]},${simulated}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** Reads `equity.csv` back. */
export function parseEquityCsv(text: string): EquityCurve {
  const rows = text
    .split('\n')
    .slice(1)
    .filter((line) => line !== '');
  const curve = {
    time: new Float64Array(rows.length),
    equity: new Float64Array(rows.length),
    buyAndHold: new Float64Array(rows.length),
    position: new Int8Array(rows.length),
    close: new Float64Array(rows.length),
  };
  rows.forEach((line, k) => {
    const [date, equity, hold, position, close] = line.split(',');
    curve.time[k] = Date.parse(date!);
    curve.equity[k] = Number(equity);
    curve.buyAndHold[k] = Number(hold);
    curve.position[k] = Number(position);
    curve.close[k] = Number(close);
  });
  return curve;
}
