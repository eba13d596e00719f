/**
 * Aggregation of consecutive bars into larger ones: open of the first, close of the last, extreme
 * high and low, summed volume and trade count, volume-weighted WAP. The same function builds every
 * bar size from minute bars, which is what makes sizes consistent with each other.
 */
import type { Bar, ServedBar } from './bar';

/**
 * Which bar of a group names the combined bar's trading date: the first (intraday and day bars), or
 * the last (IB dates weekly and monthly bars by the last trading day they hold).
 */
export type DayLabel = 'first' | 'last';

/**
 * Combines a non-empty run of bars; the result takes `time` from the first bar and `day` from the
 * first or last one (`label`).
 */
export function combineBars(
  bars: readonly ServedBar[],
  from: number,
  to: number,
  wapDecimals: number,
  label: DayLabel = 'first',
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
    day: label === 'first' ? first.day : last.day,
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
  label: DayLabel = 'first',
): ServedBar[] {
  const out: ServedBar[] = [];
  let start = 0;
  while (start < bars.length) {
    const key = keyOf(bars[start] as ServedBar);
    let end = start + 1;
    while (end < bars.length && keyOf(bars[end] as ServedBar) === key) end += 1;
    out.push(
      end - start === 1 ? (bars[start] as ServedBar) : combineBars(bars, start, end, wapDecimals, label),
    );
    start = end;
  }
  return out;
}
