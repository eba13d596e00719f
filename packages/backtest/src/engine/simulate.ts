import type { BacktestSettings } from './backtest-settings';
import type { Trade } from './trade';

/** Class indices as the model outputs them. */
const BUY = 0;
const SELL = 2;

/** Bars the simulation reads (the backtest range, after `first`, plus earlier history it ignores). */
export interface SimulationBars {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly close: Float64Array;
  /** Bar length: a position closed at the last close is held until `time + barMs` (default 0). */
  readonly barMs?: number;
}

/** The model's answer per bar: its class (0 BUY, 1 HOLD, 2 SELL; -1 no prediction) and that class's probability. */
export interface BarSignals {
  readonly classes: Int8Array;
  readonly confidence: Float32Array;
}

/** What one simulation produced. */
export interface SimulationResult {
  /** Equity at each close of the range (bars `first` to the end); the last point is after the final close-out. */
  readonly equity: Float64Array;
  /** Position at each close: 1 long, -1 short, 0 flat. */
  readonly position: Int8Array;
  /** The order decided at each close (filled at the next open): 1 buy, -1 sell, 0 none. */
  readonly orders: Int8Array;
  /** Buy-and-hold on the same bars, costs and units: the baseline. */
  readonly baseline: BaselineResult;
  readonly trades: Trade[];
  /** Orders not placed because the budget buys no whole unit. */
  readonly skippedOrders: number;
  /** Signals ignored because they came within the minimum separation of the previous order. */
  readonly suppressedSignals: number;
  /** Signals below the confidence threshold (treated as HOLD). */
  readonly lowConfidenceSignals: number;
}

interface Position {
  side: 1 | -1;
  quantity: number;
  entryTime: number;
  entryPrice: number;
  entryBar: number;
  entryCommission: number;
}

/** Units a budget buys at `price` with the commission on top; floored to whole units when asked. */
export function unitsFor(budget: number, price: number, settings: BacktestSettings): number {
  const units = budget / (price * (1 + settings.commission));
  return settings.units === 'whole' ? Math.floor(units + 1e-9) : units;
}

/**
 * Runs the decisions over the bars: a decision at bar i's close fills at bar i+1's open; positions
 * are marked to market at each close and closed at the last close. Rules (docs/guides/backtesting.md):
 *
 * - a signal below the confidence threshold is HOLD;
 * - BUY while short closes the short, BUY while flat opens a long, BUY while long does nothing;
 *   SELL mirrors it (a SELL while flat opens a short when shorts are allowed);
 * - an order within `minSignalSeparationMs` of the previous order is not placed;
 * - a new position takes `positionFraction` of the cash, buys are filled at open x (1 + slippage),
 *   sells at open x (1 - slippage), and each side pays `commission` x value.
 *
 * It reads `signals` at bar i only when deciding at bar i, and prices of bar i+1 only to fill that
 * decision: nothing later can change an earlier decision. Bars before `first` are warm-up history.
 */
export function simulate(
  bars: SimulationBars,
  signals: BarSignals,
  first: number,
  settings: BacktestSettings,
): SimulationResult {
  const n = bars.close.length;
  const m = Math.max(0, n - first);
  const equity = new Float64Array(m);
  const position = new Int8Array(m);
  const orders = new Int8Array(m);
  const trades: Trade[] = [];
  const { commission, slippage } = settings;
  let cash = settings.initialCapital;
  let open: Position | undefined;
  let pending: 1 | -1 | 0 = 0;
  let lastOrderTime = -Infinity;
  let skippedOrders = 0;
  let suppressedSignals = 0;
  let lowConfidenceSignals = 0;

  // Sells fill below the price, buys above it.
  const fillPrice = (price: number, side: 1 | -1) => price * (1 + side * slippage);
  const closePosition = (i: number, price: number, reason: Trade['exitReason']) => {
    const p = open!;
    const fill = fillPrice(price, p.side === 1 ? -1 : 1);
    const exitCommission = p.quantity * fill * commission;
    cash += p.side * p.quantity * fill - exitCommission;
    const gross = p.side * p.quantity * (fill - p.entryPrice);
    // Closed at an open (a signal) or at the last close, which ends its bar.
    const atClose = reason === 'end' ? 1 : 0;
    const exitTime = bars.time[i]! + atClose * (bars.barMs ?? 0);
    const pnl = gross - p.entryCommission - exitCommission;
    trades.push({
      side: p.side === 1 ? 'long' : 'short',
      entryTime: p.entryTime,
      entryPrice: p.entryPrice,
      exitTime,
      exitPrice: fill,
      quantity: p.quantity,
      pnl,
      returnPct: pnl / (p.quantity * p.entryPrice),
      commission: p.entryCommission + exitCommission,
      bars: i - p.entryBar + atClose,
      holdingMs: exitTime - p.entryTime,
      exitReason: reason,
    });
    open = undefined;
  };

  for (let k = 0; k < m; k++) {
    const i = first + k;
    if (pending !== 0) {
      const side = pending;
      pending = 0;
      if (open !== undefined) {
        // An opposite signal: close the position (the next signal may open the other side).
        closePosition(i, bars.open[i]!, 'signal');
      } else {
        const fill = fillPrice(bars.open[i]!, side);
        const quantity = unitsFor(settings.positionFraction * cash, fill, settings);
        if (quantity > 0) {
          const entryCommission = quantity * fill * commission;
          cash += -side * quantity * fill - entryCommission;
          open = { side, quantity, entryTime: bars.time[i]!, entryPrice: fill, entryBar: i, entryCommission };
        } else {
          skippedOrders++;
        }
      }
    }
    const close = bars.close[i]!;
    equity[k] = open === undefined ? cash : cash + open.side * open.quantity * close;
    position[k] = open === undefined ? 0 : open.side;
    if (i === n - 1) break; // no next bar to fill a decision at
    const cls = signals.classes[i]!;
    if (cls !== BUY && cls !== SELL) continue;
    if (signals.confidence[i]! < settings.confidenceThreshold) {
      lowConfidenceSignals++;
      continue;
    }
    const side: 1 | -1 = cls === BUY ? 1 : -1;
    const acts = open === undefined ? side === 1 || settings.allowShort : open.side !== side;
    if (!acts) continue;
    if (bars.time[i]! - lastOrderTime < settings.minSignalSeparationMs) {
      suppressedSignals++;
      continue;
    }
    pending = side;
    orders[k] = side;
    lastOrderTime = bars.time[i]!;
  }
  if (open !== undefined && m > 0) {
    closePosition(n - 1, bars.close[n - 1]!, 'end');
    equity[m - 1] = cash;
  }
  return {
    equity,
    position,
    orders,
    baseline: buyAndHold(bars, first, settings),
    trades,
    skippedOrders,
    suppressedSignals,
    lowConfidenceSignals,
  };
}

/** The buy-and-hold baseline: its equity, position and one trade. */
export interface BaselineResult {
  readonly equity: Float64Array;
  readonly position: Int8Array;
  readonly trades: Trade[];
}

/**
 * The baseline: all the capital into a long position at the first fill a decision could get (the
 * open after the range's first close), held to the last close, with the same costs and units.
 */
export function buyAndHold(bars: SimulationBars, first: number, settings: BacktestSettings): BaselineResult {
  const n = bars.close.length;
  const m = Math.max(0, n - first);
  const equity = new Float64Array(m).fill(settings.initialCapital);
  const position = new Int8Array(m);
  const { commission, slippage } = settings;
  const entry = m < 2 ? 0 : bars.open[first + 1]! * (1 + slippage);
  const quantity = m < 2 ? 0 : unitsFor(settings.initialCapital, entry, settings);
  if (quantity <= 0) return { equity, position, trades: [] };
  const entryCommission = quantity * entry * commission;
  const cash = settings.initialCapital - quantity * entry - entryCommission;
  for (let k = 1; k < m; k++) {
    equity[k] = cash + quantity * bars.close[first + k]!;
    position[k] = 1;
  }
  const exit = bars.close[n - 1]! * (1 - slippage);
  const exitCommission = quantity * exit * commission;
  equity[m - 1] = cash + quantity * exit - exitCommission;
  const pnl = equity[m - 1]! - settings.initialCapital;
  const exitTime = bars.time[n - 1]! + (bars.barMs ?? 0);
  const trade: Trade = {
    side: 'long',
    entryTime: bars.time[first + 1]!,
    entryPrice: entry,
    exitTime,
    exitPrice: exit,
    quantity,
    pnl,
    returnPct: pnl / (quantity * entry),
    commission: entryCommission + exitCommission,
    bars: n - (first + 1),
    holdingMs: exitTime - bars.time[first + 1]!,
    exitReason: 'end',
  };
  return { equity, position, trades: [trade] };
}
