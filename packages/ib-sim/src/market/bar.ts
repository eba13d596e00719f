/**
 * The simulator's bar record. Times are epoch seconds of the bar's start. Quote-side bars (MIDPOINT,
 * BID, ASK, BID_ASK) carry -1 for volume, WAP and count, as IB sends them.
 */
export interface Bar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly wap: number;
  readonly count: number;
}

/** A bar as served: it also carries the trading date (day number) it belongs to, for daily labels. */
export interface ServedBar extends Bar {
  readonly day: number;
}
