import { ValidationError } from '@ktrdr/core/errors';
import { BarFrame } from '../domain/bar-frame';
import { wireDate } from './wire-dates';

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
    date: wireDate(bar.time),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
  }));
}

/**
 * `JSON.stringify(toWireBars(frame))`, written from the columns without an object per bar.
 * @throws ValidationError when a value is not finite (JSON would write `null`, which no
 * {@link WireBar} allows).
 */
export function wireBarsJson(frame: BarFrame): string {
  const { time, open, high, low, close, volume } = frame.columns();
  let out = '[';
  for (let i = 0; i < time.length; i++) {
    const o = open[i] as number;
    const h = high[i] as number;
    const l = low[i] as number;
    const c = close[i] as number;
    const v = volume[i] as number;
    // One by one: a sum of large finite prices could overflow to Infinity.
    if (!(
      Number.isFinite(o) &&
      Number.isFinite(h) &&
      Number.isFinite(l) &&
      Number.isFinite(c) &&
      Number.isFinite(v)
    )) {
      throw new ValidationError(`Bar ${i} has a value that is not a finite number.`, {
        details: { field: 'data', index: i },
      });
    }
    // Finite numbers: String() and JSON.stringify() write them alike (-0 as 0 included).
    out += `${i === 0 ? '' : ','}{"date":"${wireDate(time[i] as number)}","open":${o},"high":${h},"low":${l},"close":${c},"volume":${v}}`;
  }
  return `${out}]`;
}

/** The reverse of {@link toWireBars}. */
export function fromWireBars(bars: readonly WireBar[]): BarFrame {
  return BarFrame.fromRows(bars.map((bar) => ({ ...bar, time: Date.parse(bar.date) })));
}
