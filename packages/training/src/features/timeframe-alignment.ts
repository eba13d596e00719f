import type { OhlcvColumns } from '../indicators/ohlcv';

/** One timeframe's bars, with the bar length that says when each bar closes. */
export interface TimeframeSeries {
  /** `1h`, `4h`, `1d`... */
  readonly timeframe: string;
  /** Bar length in ms: a bar opened at `t` has closed at `t + barMs`. */
  readonly barMs: number;
  readonly bars: OhlcvColumns;
}

/**
 * For each base bar, the index of the last bar of another timeframe that has closed by the time the
 * base bar closes (`time + barMs <= baseTime + baseMs`), or -1 when none has. Both series are
 * stamped at their open and sorted ascending.
 *
 * This is Python KTRDR's forward fill onto the base index, minus its look-ahead: Python reindexed on
 * open times, so the 1h rows inside a 4h bar saw that 4h bar before it had closed. Here a 4h bar
 * opened at 08:00 first shows at the 11:00 hourly row (which closes at 12:00, with it).
 */
export function lastClosedIndex(
  baseTime: Float64Array,
  baseMs: number,
  time: Float64Array,
  barMs: number,
): Int32Array {
  const out = new Int32Array(baseTime.length);
  let j = -1;
  for (let i = 0; i < baseTime.length; i++) {
    const closed = baseTime[i]! + baseMs;
    while (j + 1 < time.length && time[j + 1]! + barMs <= closed) j++;
    out[i] = j;
  }
  return out;
}
