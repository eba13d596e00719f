import type { Timeframe } from '../domain/timeframes';

/**
 * Why bars are missing from an interval. Every kind but `unexpected` is a time the market was shut,
 * so no bars exist to fetch; `unexpected` gaps are the ones to fetch.
 */
export type GapKind = 'weekend' | 'outside_trading_hours' | 'holiday' | 'market_closure' | 'unexpected';

/** The gap kinds that need no fetch. */
export const EXPECTED_GAP_KINDS: readonly GapKind[] = Object.freeze([
  'weekend',
  'outside_trading_hours',
  'holiday',
  'market_closure',
]);

/**
 * Where a gap lies relative to the bars present: before the first, between two, after the last,
 * or `no_data` when there are no bars in the range at all. `before_data`/`after_data`/`no_data`
 * gaps are the not-yet-fetched edges that backfill and tail loads extend into.
 */
export type GapPosition = 'before_data' | 'within_data' | 'after_data' | 'no_data';

/** An interval `[start, end)` (UTC epoch ms) with no bars. */
export interface Gap {
  start: number;
  end: number;
  kind: GapKind;
  position: GapPosition;
  /** Expected bars missing in the interval (0 for the expected kinds). */
  missingBars: number;
  /** The holiday or closure name when known. */
  reason?: string;
}

/** A UTC interval `[start, end)` in epoch ms. */
export interface TimeRange {
  start: number;
  end: number;
}

/** Result of `analyzeGaps`. */
export interface GapAnalysis {
  start: number;
  end: number;
  timeframe: Timeframe;
  /** Name of the trading calendar used. */
  calendar: string;
  /** Every interval without bars, in time order, each classified. */
  gaps: Gap[];
  /** Bars the calendar expects in the range. */
  expectedBars: number;
  /** Expected bars that are present. */
  presentBars: number;
  /** Expected bars that are missing (the sum of `missingBars` over `unexpected` gaps). */
  missingBars: number;
}
