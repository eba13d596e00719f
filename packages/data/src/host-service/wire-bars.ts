import { BarFrame } from '../domain/bar-frame';
import { formatIsoUtc } from '../domain/dates';

/**
 * One bar as it crosses the wire: the CSV store's columns, ISO UTC date. A type alias rather than
 * an interface, so that it stays assignable to `Record<string, unknown>` (tables of rows).
 */
export type WireBar = {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
};

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
