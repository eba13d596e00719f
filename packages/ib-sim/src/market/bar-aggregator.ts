/**
 * Aggregation of consecutive bars into larger ones: open of the first, close of the last, extreme
 * high and low, summed volume and trade count, volume-weighted WAP. The same function builds every
 * bar size from minute bars, which is what makes sizes consistent with each other.
 */
import type { Bar, ServedBar } from './bar';

/** Combines a non-empty run of bars; the result takes `time` and `day` from the first bar. */
export function combineBars(
  bars: readonly ServedBar[],
  from: number,
  to: number,
  wapDecimals: number,
): ServedBar {
  const first = bars[from] as ServedBar;
  const last = bars[to - 1] as ServedBar;
  let high = first.high;
  let low = first.low;
  let volume = 0;
  let count = 0;
  let wapVolume = 0;
  for (let i = from; i < to; i += 1) {
    const bar = bars[i] as Bar;
    if (bar.high > high) high = bar.high;
    if (bar.low < low) low = bar.low;
    volume += bar.volume;
    count += bar.count;
    wapVolume += bar.wap * bar.volume;
  }
  const scale = 10 ** wapDecimals;
  const wap = volume > 0 ? Math.round((wapVolume / volume) * scale) / scale : last.close;
  return {
    time: first.time,
    day: first.day,
    open: first.open,
    high,
    low,
    close: last.close,
    volume,
    wap,
    count,
  };
}

/**
 * Groups consecutive bars with equal keys and combines each group. Bars must be in time order;
 * keys only need to change at group boundaries.
 */
export function aggregateByKey(
  bars: readonly ServedBar[],
  keyOf: (bar: ServedBar) => number,
  wapDecimals: number,
): ServedBar[] {
  const out: ServedBar[] = [];
  let start = 0;
  while (start < bars.length) {
    const key = keyOf(bars[start] as ServedBar);
    let end = start + 1;
    while (end < bars.length && keyOf(bars[end] as ServedBar) === key) end += 1;
    out.push(end - start === 1 ? (bars[start] as ServedBar) : combineBars(bars, start, end, wapDecimals));
    start = end;
  }
  return out;
}
