/** One round trip: a position opened at a fill and closed at a later one. */
export interface Trade {
  side: 'long' | 'short';
  /** Open time (epoch ms) of the bar whose open filled the entry. */
  entryTime: number;
  /** Fill price, slippage included. */
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  /** Units held (whole or fractional). */
  quantity: number;
  /** Net profit: price difference times quantity, minus both commissions. */
  pnl: number;
  /** `pnl` as a fraction of the entry value (`quantity x entryPrice`). */
  returnPct: number;
  /** Both sides' commission. */
  commission: number;
  /** Bars from the entry fill to the exit fill. */
  bars: number;
  /** `exitTime - entryTime`. */
  holdingMs: number;
  /** `signal`: an opposite signal closed it; `end`: closed at the last bar's close. */
  exitReason: 'signal' | 'end';
}
