/**
 * `whatToShow` variants. The synthetic trade path doubles as the quote midpoint's driver; bid and ask
 * sit a fixed number of ticks apart around it. Each transform is monotone in price, so deriving
 * quotes from an aggregated trade bar equals aggregating per-minute quote bars: bar-size consistency
 * holds for every `whatToShow`.
 */
import type { ServedBar } from './bar';
import type { TickRounder } from './ticks';

/** Supported `whatToShow` values. `ADJUSTED_LAST` equals TRADES (no splits or dividends are simulated). */
export type WhatToShow = 'TRADES' | 'MIDPOINT' | 'BID' | 'ASK' | 'BID_ASK' | 'ADJUSTED_LAST';

const SUPPORTED: readonly WhatToShow[] = ['TRADES', 'MIDPOINT', 'BID', 'ASK', 'BID_ASK', 'ADJUSTED_LAST'];

/** Parses a `whatToShow` value case-insensitively; `undefined` for unsupported ones. */
export function parseWhatToShow(text: string): WhatToShow | undefined {
  const upper = text.trim().toUpperCase();
  return SUPPORTED.find((value) => value === upper);
}

/** Whether a `whatToShow` is trade data (as opposed to quotes). */
export function isTradeData(whatToShow: WhatToShow): boolean {
  return whatToShow === 'TRADES' || whatToShow === 'ADJUSTED_LAST';
}

/** Converts a trade bar into the requested quote side; trade data passes through unchanged. */
export function toQuoteSide(
  bar: ServedBar,
  whatToShow: WhatToShow,
  spreadTicks: number,
  rounder: TickRounder,
): ServedBar {
  if (isTradeData(whatToShow)) return bar;
  const below = Math.floor(spreadTicks / 2) * rounder.tick;
  const spread = spreadTicks * rounder.tick;
  const bid = (price: number): number => Math.max(rounder.tick, rounder.round(price - below));
  const ask = (price: number): number => rounder.round(bid(price) + spread);
  const mid = (price: number): number => rounder.fine((bid(price) + ask(price)) / 2, 1);
  const side = whatToShow === 'BID' ? bid : whatToShow === 'ASK' ? ask : mid;
  const quote = { time: bar.time, day: bar.day, volume: -1, wap: -1, count: -1 };
  if (whatToShow === 'BID_ASK') {
    // IB's BID_ASK bars: open = bid, high = max ask, low = min bid, close = ask.
    return { ...quote, open: bid(bar.open), high: ask(bar.high), low: bid(bar.low), close: ask(bar.close) };
  }
  return { ...quote, open: side(bar.open), high: side(bar.high), low: side(bar.low), close: side(bar.close) };
}
