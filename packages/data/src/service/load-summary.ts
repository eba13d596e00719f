import { formatIsoUtc } from '../domain/dates';
import type { ParsedSymbol } from '../domain/symbols';
import type { Timeframe } from '../domain/timeframes';
import { partialLoadOf } from '../manager/load-outcome';
import type { FailedSegment, LoadDataResult, LoadMode, LoadRange } from '../manager/load-types';

/**
 * `result_summary` of a data load operation (type `data_load`), as the API and the client's handles
 * answer it: what `summarizeLoad` makes, so the type and the data cannot drift apart.
 */
// A type alias, not an interface: it stays assignable to `OperationInfo`'s `Record<string, unknown>`.
export type DataLoadSummary = {
  symbol: ParsedSymbol;
  timeframe: Timeframe;
  mode: LoadMode;
  /** True when the bars came from the IB simulator, not a real gateway. */
  simulated: boolean;
  /** Bars stored for the requested range after the load. */
  bars: number;
  first_bar: string | null;
  last_bar: string | null;
  fetched_bars: number;
  added_bars: number;
  segments: { total: number; completed: number; failed: number; no_data: number };
  /** Segments that could not be fetched: run the load again to retry them. */
  failed_segments: FailedSegment[];
  no_data_ranges: (LoadRange & { source: 'ib' | 'remembered'; remembered_until: string })[];
  /** Ranges still missing; empty when the load is complete. */
  missing_ranges: LoadRange[];
  /** What to load to fetch `missing_ranges`, or null. */
  resume: (LoadRange & { mode: 'full' }) | null;
  /** Where the series is stored. */
  path: string;
  notices?: string[];
  /** What the store worked around during the load (a torn last row, an unreadable "no data" memory). */
  warnings?: { code: string; file: string; line?: number | undefined; message: string }[];
  /** Set on the summary of a load that failed or was cancelled: what it kept. */
  partial?: true;
};

/** Summary of a finished load, as `result_summary` of its operation. */
export function summarizeLoad(result: LoadDataResult): DataLoadSummary {
  return {
    symbol: result.symbol,
    timeframe: result.timeframe,
    mode: result.mode,
    simulated: result.simulated,
    bars: result.frame.length,
    first_bar: result.frame.firstTime === undefined ? null : formatIsoUtc(result.frame.firstTime),
    last_bar: result.frame.lastTime === undefined ? null : formatIsoUtc(result.frame.lastTime),
    fetched_bars: result.fetchedBars,
    added_bars: result.addedBars,
    segments: {
      total: result.segments.total,
      completed: result.segments.completed,
      failed: result.segments.failed,
      no_data: result.segments.noData,
    },
    failed_segments: result.failedSegments,
    no_data_ranges: result.noDataRanges.map(({ rememberedUntil, ...range }) => ({
      ...range,
      remembered_until: rememberedUntil,
    })),
    missing_ranges: result.missingRanges,
    resume: result.resume ?? null,
    path: result.path,
    ...(result.notices === undefined ? {} : { notices: result.notices }),
    // Without `path`: a summary goes over HTTP, which never carries an absolute server path.
    ...(result.warnings === undefined
      ? {}
      : {
          warnings: result.warnings.map(({ code, file, line, message }) => ({ code, file, line, message })),
        }),
  };
}

/** What a load that failed or was cancelled kept, as the `result_summary` of its operation. */
export function summarizePartialLoad(error: unknown): DataLoadSummary | undefined {
  const partial = partialLoadOf(error);
  return partial === undefined ? undefined : { ...summarizeLoad(partial), partial: true };
}
