import { BarFrame } from '../domain/bar-frame';
import { formatIsoUtc } from '../domain/dates';
import type { WireBar } from './ib-host-contract';

/** Bars as they cross the wire: the store's columns with ISO UTC dates. */
export function toWireBars(frame: BarFrame): WireBar[] {
  return frame.toRows().map((bar) => ({
    date: formatIsoUtc(bar.time),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
  }));
}

/** The reverse of {@link toWireBars}. */
export function fromWireBars(bars: readonly WireBar[]): BarFrame {
  return BarFrame.fromRows(bars.map((bar) => ({ ...bar, time: Date.parse(bar.date) })));
}
