import type { CallOptions, OperationProgress } from '@ktrdr/core';
import type { BarFrame } from '../domain/bar-frame';
import type { EpochMs } from '../domain/dates';
import type { InstrumentType, ParsedSymbol } from '../domain/symbols';
import type { Timeframe } from '../domain/timeframes';
import type { GapKind } from '../gaps/gap-types';
import type { PacingPolicy } from '../ib/pacing-types';
import type { StoreWarning } from '../store/store-warning';

/**
 * How a load decides what to fetch:
 * - `local`: the store only, no fetch;
 * - `tail`: newer data than the store holds (default range: the last 30 days);
 * - `backfill`: older data than the store holds, down to the broker's head timestamp;
 * - `full`: both, plus any unexpected hole inside the stored range.
 */
export type LoadMode = 'local' | 'tail' | 'backfill' | 'full';

/** Every load mode. */
export const LOAD_MODES: readonly LoadMode[] = ['local', 'tail', 'backfill', 'full'];

/**
 * Options of `AsyncDataManager.loadData`, already validated: `DataService.loadData` (the boundary)
 * parses the user's input once and the manager takes the parsed types, so it never parses again.
 */
export interface LoadDataOptions extends Pick<CallOptions, 'signal'> {
  /** First instant wanted (from `toEpochMs`); before `end` when both are given. */
  start?: EpochMs;
  end?: EpochMs;
  /** Default `tail`. */
  mode?: LoadMode;
  /** Looks the symbol up as this type only (default: forex pair, stock, then future). */
  instrumentType?: InstrumentType;
  /**
   * Ask IB again for ranges it recently answered with "no data" (error 162), which a load otherwise
   * skips while the answer is remembered (see `NoDataMemory`). Default false.
   */
  refetchEmpty?: boolean;
  /**
   * How IB requests are paced and sized: `practical` (IB's hard rules for bars of 30 s or less
   * only, requests of several sessions, adaptive throttling) or `strict` (the hard rules for every
   * bar, the conservative request sizes). Default: the manager's (`KTRDR_IB_PACING`).
   */
  pacing?: PacingPolicy;
  /** Progress as the reference steps: validate 2%, fetch 10-96%, merge 96%, save 98%, done 100%. */
  onProgress?: (progress: OperationProgress) => void;
}

/** A segment that could not be fetched after its retries. */
export interface FailedSegment {
  start: string;
  end: string;
  error: string;
  code: string;
}

/** A range the load asked for, as ISO 8601 UTC times. */
export interface LoadRange {
  start: string;
  end: string;
}

/**
 * A range IB holds no bars for: it answered "no data" (error 162, or an empty reply) during this
 * load (`source: 'ib'`), or did so earlier and the answer is still remembered, so it was not asked
 * again (`source: 'remembered'`). Not a failure, but not bars either: the store has a hole there.
 */
export interface NoDataRange extends LoadRange {
  source: 'ib' | 'remembered';
  /** Until when the answer is remembered (ISO 8601); a later load asks IB again. */
  rememberedUntil: string;
}

/** How to fetch what a load left missing: the same series, mode `full`, over this range. */
export interface LoadResume extends LoadRange {
  mode: 'full';
}

/** Outcome of a load. */
export interface LoadDataResult {
  symbol: ParsedSymbol;
  timeframe: Timeframe;
  mode: LoadMode;
  /** True when the bars are synthetic (IB simulator): never mix them with real data. */
  simulated: boolean;
  /** The stored bars of the requested range after the load. */
  frame: BarFrame;
  /** Bars received from the source (before de-duplication). */
  fetchedBars: number;
  /** Bars the store did not hold before. */
  addedBars: number;
  /**
   * Segments (requests) planned: `completed` got bars, `noData` got IB's "no data" answer (or was
   * skipped because that answer is remembered), `failed` did not get an answer. A load that stops
   * early (a lost gateway, a cancel) counts the segments it never tried as failed.
   */
  segments: { total: number; completed: number; failed: number; noData: number };
  failedSegments: FailedSegment[];
  /** Ranges IB has no data for (see {@link NoDataRange}), apart from the failed ones. */
  noDataRanges: NoDataRange[];
  /** Ranges still missing after the load: failed, cancelled or never tried; empty when complete. */
  missingRanges: LoadRange[];
  /** What to load to fetch {@link LoadDataResult.missingRanges}; absent when nothing is missing. */
  resume?: LoadResume;
  /** Gaps found in the requested range before fetching, by kind. */
  gapsByKind: Partial<Record<GapKind, number>>;
  /** The file the series lives in. */
  path: string;
  /** Things the user should know, e.g. that stored weekly bars were converted to IB's dates. */
  notices?: string[];
  /**
   * What the store worked around during the load, once each: a torn last row left out (and dropped
   * from the file at the next write), an unreadable "no data" memory counted as empty. Absent when
   * nothing. They are not also emitted as process warnings.
   */
  warnings?: StoreWarning[];
}
