import type { BarColumns } from '../api/bars-csv';

/** A hole in a series: no bar between `from` and `to` (seconds since the epoch). */
export interface BarGap {
  from: number;
  to: number;
  /** Bars the timeframe would have had in between. */
  missing: number;
}

const WEEKEND_S = 2 * 86_400;

/**
 * Holes in a series larger than what markets closing explains: a jump of more than `factor` bar
 * spacings that is not an overnight or weekend close (for intraday bars, a jump is only a gap when
 * it is longer than a weekend plus a day). The API serves bars, not its gap analysis, so the chart
 * works this out from the bars it drew; `barSeconds` is the timeframe's length.
 */
export function findGaps(bars: BarColumns, barSeconds: number, factor = 3): BarGap[] {
  const gaps: BarGap[] = [];
  // Markets close overnight and at weekends: only a hole longer than a long weekend is suspicious.
  const closedAllowance = barSeconds >= 86_400 ? 4 * 86_400 : WEEKEND_S + 86_400;
  const limit = Math.max(factor * barSeconds, closedAllowance);
  for (let i = 1; i < bars.length; i++) {
    const from = bars.time[i - 1] as number;
    const to = bars.time[i] as number;
    if (to - from > limit) gaps.push({ from, to, missing: Math.round((to - from) / barSeconds) - 1 });
  }
  return gaps;
}
