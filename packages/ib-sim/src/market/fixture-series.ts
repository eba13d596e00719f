/**
 * Fixture bars prepared for serving: sorted, with their resolution inferred. A fixture replaces the
 * synthetic series of its symbol; it can be served at its own resolution or aggregated to coarser
 * bar sizes, never refined (the simulator does not invent data between fixture bars).
 */
import type { Bar } from './bar';
import type { FixtureBar } from './csv-fixtures';

/** Fixture bars ready for the bar source. */
export interface FixtureSeries {
  /** Bars sorted by time; `wap` and `count` are derived since CSV fixtures do not carry them. */
  readonly bars: readonly Bar[];
  /** Smallest spacing between bars, in seconds: the finest bar size the fixture can serve. */
  readonly baseSeconds: number;
  /** True for daily (or coarser) data: bars are keyed by their UTC calendar date. */
  readonly daily: boolean;
}

const DAY = 86400;

/** Sorts, validates and indexes fixture bars. Throws on duplicate timestamps or an empty list. */
export function createFixtureSeries(input: readonly FixtureBar[]): FixtureSeries {
  if (input.length === 0) throw new TypeError('A fixture needs at least one bar');
  const bars: Bar[] = input
    .map((bar) => ({
      time: Math.floor(bar.time.getTime() / 1000),
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      // A typical-price WAP keeps WAP inside [low, high] like real bars.
      wap: Math.round(((bar.high + bar.low + 2 * bar.close) / 4) * 1e6) / 1e6,
      count: bar.volume > 0 ? Math.max(1, Math.round(bar.volume / 100)) : 0,
    }))
    .sort((a, b) => a.time - b.time);
  let baseSeconds = Number.POSITIVE_INFINITY;
  for (let i = 1; i < bars.length; i += 1) {
    const gap = (bars[i]?.time ?? 0) - (bars[i - 1]?.time ?? 0);
    if (gap === 0)
      throw new TypeError(`Fixture has two bars at ${new Date((bars[i]?.time ?? 0) * 1000).toISOString()}`);
    baseSeconds = Math.min(baseSeconds, gap);
  }
  const allMidnight = bars.every((bar) => bar.time % DAY === 0);
  if (!Number.isFinite(baseSeconds)) baseSeconds = allMidnight ? DAY : 60;
  const daily = allMidnight && baseSeconds >= DAY;
  return { bars, baseSeconds: daily ? DAY : baseSeconds, daily };
}
