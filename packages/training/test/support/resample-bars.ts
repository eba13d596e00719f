import type { OhlcvColumns } from '../../src/indicators/ohlcv';

/**
 * Aggregates bars into bars of `barMs` (aligned to multiples of `barMs` since the epoch), stamped at
 * their open: first open, highest high, lowest low, last close, summed volume.
 */
export function resampleBars(bars: OhlcvColumns, barMs: number): OhlcvColumns {
  const time: number[] = [];
  const open: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  const close: number[] = [];
  const volume: number[] = [];
  for (let i = 0; i < bars.time.length; i++) {
    const bucket = Math.floor(bars.time[i]! / barMs) * barMs;
    const last = time.length - 1;
    if (last < 0 || time[last] !== bucket) {
      time.push(bucket);
      open.push(bars.open[i]!);
      high.push(bars.high[i]!);
      low.push(bars.low[i]!);
      close.push(bars.close[i]!);
      volume.push(bars.volume[i]!);
    } else {
      high[last] = Math.max(high[last]!, bars.high[i]!);
      low[last] = Math.min(low[last]!, bars.low[i]!);
      close[last] = bars.close[i]!;
      volume[last] = volume[last]! + bars.volume[i]!;
    }
  }
  return {
    time: Float64Array.from(time),
    open: Float64Array.from(open),
    high: Float64Array.from(high),
    low: Float64Array.from(low),
    close: Float64Array.from(close),
    volume: Float64Array.from(volume),
  };
}
