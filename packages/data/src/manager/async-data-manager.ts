import {
  CancelledError,
  DataUnavailableError,
  type HealthStatus,
  type KtrdrError,
  NotFoundError,
  type OperationProgress,
  UnknownSymbolError,
  ValidationError,
  raceAbort,
} from '@ktrdr/core';
import type { AsyncDataAdapter } from '../adapter/async-data-adapter';
import { calendarForInstrument } from '../calendar/exchange-calendars';
import type { TradingCalendar } from '../calendar/trading-calendar';
import { calendarFromTradingHours, parseIbTradingHours } from '../calendar/trading-hours';
import { BarFrame } from '../domain/bar-frame';
import { DAY_MS } from '../domain/civil-date';
import { formatIsoUtc } from '../domain/dates';
import { type InstrumentType, type ParsedSymbol, detectInstrumentType } from '../domain/symbols';
import type { Timeframe } from '../domain/timeframes';
import { analyzeGaps } from '../gaps/gap-analysis';
import type { Gap, GapKind, GapPosition, TimeRange } from '../gaps/gap-types';
import type { ContractInfo } from '../host-service/ib-host-contract';
import type { CsvStore } from '../store/csv-store';
import { type FailedSegment, type LoadDataOptions, type LoadDataResult, type LoadMode } from './load-types';
import { migratePeriodDates } from './period-date-migration';
import { planSegments } from './plan-segments';
import { fetchSplittingOverruns, splitBySessions } from './split-overrun';
import type { PacingPolicy } from '../ib/pacing-types';
import { requestSpanLimit, sessionDaysBetween } from '../ib/request-spans';
import { withPacingEta } from './load-eta';
import { fetchSegments } from './segment-fetcher';
import { holdProcessOpen } from '../ib/clock';
import { TtlCache } from '../ib/ttl-cache';
import {
  gatewayLostError,
  isGatewayLost,
  noDataRange,
  overlaps,
  resumeOf,
  withPartialLoad,
} from './load-outcome';
import { NoDataMemory, subtractRanges } from './no-data-memory';
import type { StoreWarning } from '../store/store-warning';

/** Options of {@link AsyncDataManager}. */
export interface AsyncDataManagerOptions {
  adapter: AsyncDataAdapter;
  store: CsvStore;
  /** Segments in flight at once (default 6); IB's pacing rules are enforced below, in the IB client. */
  maxConcurrentSegments?: number;
  /** Attempts per segment (default 3). */
  segmentAttempts?: number;
  /** First retry delay, ms (default 500). */
  retryBaseMs?: number;
  /** Pacing policy of loads that name none (default `practical`; `KTRDR_IB_PACING`). */
  pacing?: PacingPolicy;
  /** Sessions per 1-minute-bar request under `practical` (1-5, default 5; `KTRDR_IB_1M_SESSIONS`). */
  minuteBarSessions?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Which gap positions each mode fetches. */
const POSITIONS_BY_MODE: Record<Exclude<LoadMode, 'local'>, readonly GapPosition[]> = {
  tail: ['after_data', 'no_data'],
  backfill: ['before_data', 'no_data'],
  full: ['before_data', 'within_data', 'after_data', 'no_data'],
};

const VALIDATION_TTL_MS = 30 * DAY_MS;
const HEAD_TTL_MS = DAY_MS;
const DEFAULT_TAIL_MS = 30 * DAY_MS;
/** A segment IB answered with "no data". */
const NO_DATA = Object.freeze({ fetched: 0, added: 0, noData: true });

/**
 * The data path's business logic (the seed's AsyncDataManager): validates, reads the store, finds
 * the real gaps (weekends, holidays and closed hours are expected, not fetched), splits them into
 * segments within IB's request limits, fetches them concurrently with retries, and saves each
 * segment as it arrives, so a crash or a cancel loses nothing already fetched.
 */
export class AsyncDataManager {
  readonly adapter: AsyncDataAdapter;
  readonly store: CsvStore;
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly retryBaseMs: number;
  private readonly pacing: PacingPolicy;
  private readonly minuteBarSessions: number | undefined;
  private readonly now: () => number;
  private readonly validations: TtlCache<ContractInfo>;
  private readonly heads: TtlCache<number | undefined>;
  private readonly noData: NoDataMemory;

  constructor(options: AsyncDataManagerOptions) {
    this.adapter = options.adapter;
    this.store = options.store;
    this.concurrency = options.maxConcurrentSegments ?? 6;
    this.attempts = options.segmentAttempts ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.pacing = options.pacing ?? 'practical';
    this.minuteBarSessions = options.minuteBarSessions;
    this.now = options.now ?? Date.now;
    const clock = { now: this.now };
    this.validations = new TtlCache(VALIDATION_TTL_MS, clock);
    this.heads = new TtlCache(HEAD_TTL_MS, clock);
    this.noData = new NoDataMemory(this.store, this.now);
  }

  /** The pacing policy of loads that name none. */
  get pacingPolicy(): PacingPolicy {
    return this.pacing;
  }

  /**
   * Loads bars of `symbol` into the store per `options.mode` and returns the requested range. A load
   * that ends early (cancelled, the gateway lost, every segment failed) rejects with an error for
   * which `partialLoadOf` gives what was kept and what is missing.
   *
   * Takes parsed input only (`parseSymbol`, `parseTimeframe`, `toEpochMs`, a {@link LoadMode}):
   * `DataService.loadData` validates a request once, at the boundary, and nothing below parses it again.
   */
  async loadData(
    symbol: ParsedSymbol,
    timeframe: Timeframe,
    options: LoadDataOptions = {},
  ): Promise<LoadDataResult> {
    // Until it settles, the load keeps the process alive: the IB transport's timers do not.
    const release = holdProcessOpen();
    try {
      return await this.load(symbol, timeframe, options);
    } finally {
      release();
    }
  }

  private async load(sym: ParsedSymbol, tf: Timeframe, options: LoadDataOptions): Promise<LoadDataResult> {
    const report = (progress: OperationProgress) => options.onProgress?.(progress);
    report({ percentage: 2, current_step: 'validate' });
    const mode = options.mode ?? 'tail';
    const { start: requestedStart, end: requestedEnd } = options;
    // What the store worked around during this load (a torn last row, an unreadable "no data"
    // memory): carried into the result, never only a process warning.
    const warnings: StoreWarning[] = [];
    if (mode === 'local') {
      const calendar = calendarForInstrument(options.instrumentType ?? detectInstrumentType(sym));
      const notices = await this.migratePeriodDates(sym, tf, [false, true], calendar, warnings);
      const result = await this.loadLocal(sym, tf, requestedStart, requestedEnd, report, warnings);
      return { ...result, ...notices, ...warningsOf(warnings) };
    }

    const info = await this.contractInfo(sym, options.instrumentType, options.signal);
    const simulated = info.simulated;
    // Every store call below returns its warnings to this load instead of emitting them.
    const series = { simulated, returnWarnings: true };
    const notices = await this.migratePeriodDates(sym, tf, [simulated], this.calendarFor(info), warnings);
    const head = await this.headTimestamp(sym, tf, info.asset_type, options.signal);
    const stored = await this.store.dateRange(sym, tf, series);
    const end = Math.min(requestedEnd ?? this.now(), this.now());
    let start = requestedStart ?? this.defaultStart(mode, end, head, stored?.end);
    if (head !== undefined) start = Math.max(start, head);
    const empty = start >= end;

    const existing = empty
      ? BarFrame.empty()
      : await this.store.loadIfExists(sym, tf, { ...series, start, end }).then((loaded) => {
          warnings.push(...(loaded?.warnings ?? []));
          return loaded?.frame ?? BarFrame.empty();
        });
    const analysis = empty
      ? undefined
      : analyzeGaps(existing.columns().time, { start, end, timeframe: tf, calendar: this.calendarFor(info) });
    const wanted = new Set(POSITIONS_BY_MODE[mode]);
    // Closed-market gaps stay in the list so holes can be joined across nights and weekends.
    const relevant = (analysis?.gaps ?? []).filter(
      (gap) => gap.kind !== 'unexpected' || wanted.has(gap.position),
    );
    const pacing = options.pacing ?? this.pacing;
    const calendar = this.calendarFor(info);
    const planned = planSegments(relevant, tf, mode === 'backfill' ? 'newest_first' : 'oldest_first', {
      limit: requestSpanLimit(tf, pacing, { minuteBarSessions: this.minuteBarSessions }),
      calendar,
    });
    const range = { start, end };
    if (options.refetchEmpty === true) await this.noData.forget(sym, tf, simulated, range, warnings);
    const remembered =
      options.refetchEmpty === true || planned.length === 0
        ? []
        : (await this.noData.recall(sym, tf, simulated, warnings)).filter((r) => overlaps(r, range));
    const segments = subtractRanges(planned, remembered);
    const skipped = remembered.filter((r) => planned.some((segment) => overlaps(segment, r)));

    let completed = 0;
    let fetchedBars = 0;
    let addedBars = 0;
    const failedSegments: FailedSegment[] = [];
    const fetched = new Set<TimeRange>();
    const noDataSegments: TimeRange[] = [];
    // The ETA comes from the IB pacing scheduler's plan of the remaining segments (see load-eta).
    const fetchProgress = withPacingEta(report, {
      // Wall time: `this.now` may be a test's market clock.
      now: Date.now,
      estimate: (remaining) =>
        this.adapter.estimateFetchMs(sym, tf, {
          requests: remaining,
          concurrency: this.concurrency,
          instrumentType: info.asset_type,
          pacing,
        }),
    });
    fetchProgress.report({
      percentage: 10,
      current_step: 'fetch',
      steps_completed: 0,
      steps_total: segments.length,
      items_processed: 0,
    });
    const outcomes = await fetchSegments({
      segments,
      concurrency: this.concurrency,
      attempts: this.attempts,
      retryBaseMs: this.retryBaseMs,
      signal: options.signal,
      stopWhen: isGatewayLost,
      fetchOne: async (segment, signal) => {
        const fetchRange = async (range: TimeRange): Promise<BarFrame> => {
          let result;
          try {
            result = await this.adapter.fetchHistoricalData(sym, tf, {
              start: range.start,
              end: range.end,
              instrumentType: info.asset_type,
              pacing,
              signal,
            });
          } catch (error) {
            // IB's "no data" (162) is an answer about the range, not a failure: reported apart
            // (for one half of a split range, the other half's bars still count).
            if (error instanceof DataUnavailableError) return BarFrame.empty();
            throw error;
          }
          if (result.simulated !== simulated) {
            throw new ValidationError(`${sym}: the source changed between real and simulated data mid-load`, {
              details: { field: 'source' },
            });
          }
          return result.frame;
        };
        // A request the gateway finds too long (162 "Time length exceed max", a long request's
        // timeout) is split in two at a session boundary and retried: the segment is not lost to it.
        const frames = await fetchSplittingOverruns(segment, fetchRange, {
          split: (range) => splitBySessions(range, calendar),
          // Under practical, a timeout of three sessions or more is taken for "too long" (once: the
          // halves are shorter); under strict, whose spans are conservative, never.
          splitOnTimeout: (range) =>
            pacing === 'practical' && sessionDaysBetween(calendar, range.start, range.end).length > 2,
        });
        const frame = frames.reduce((all, piece) => all.merge(piece), BarFrame.empty());
        if (frame.length === 0) return NO_DATA;
        // Saved at once: a crash or a cancel after this point keeps the segment.
        const saved = await this.store.mergeAndSave(sym, tf, frame, series);
        warnings.push(...saved.warnings);
        return { fetched: frame.length, added: saved.added, noData: false };
      },
      onSegmentDone: (segment, outcome) => {
        // A segment stopped by cancellation is neither done nor failed: the load itself is ending.
        if (!outcome.ok && outcome.error instanceof CancelledError) return;
        completed++;
        if (outcome.ok) {
          fetched.add(segment);
          if (outcome.value.noData) noDataSegments.push(segment);
          fetchedBars += outcome.value.fetched;
          addedBars += outcome.value.added;
        } else {
          failedSegments.push({
            start: formatIsoUtc(segment.start),
            end: formatIsoUtc(segment.end),
            error: outcome.error.message,
            code: outcome.error.code,
          });
        }
        fetchProgress.report({
          percentage: 10 + (86 * completed) / Math.max(1, segments.length),
          current_step: 'fetch',
          steps_completed: completed,
          steps_total: segments.length,
          items_processed: fetchedBars,
          current_item: `${formatIsoUtc(segment.start)} .. ${formatIsoUtc(segment.end)}`,
        });
      },
    });
    fetchProgress.stop();
    const answered = await this.noData.remember(sym, tf, simulated, noDataSegments, warnings);
    const failures = outcomes.filter((o) => !o.ok).map((o) => (o as { error: KtrdrError }).error);

    // Everything below also describes a load that ends early, so the caller learns what was kept.
    const finalStart = requestedStart ?? Math.min(start, stored?.start ?? start);
    const finish = async (): Promise<LoadDataResult> => {
      const loaded = await this.store.loadIfExists(sym, tf, {
        ...series,
        start: finalStart,
        end: requestedEnd ?? Number.POSITIVE_INFINITY,
      });
      warnings.push(...(loaded?.warnings ?? []));
      const missing = segments.filter((segment) => !fetched.has(segment));
      return {
        symbol: sym,
        timeframe: tf,
        mode,
        simulated,
        // Labelled, so that every display of the bars says whether they are simulated.
        frame: (loaded?.frame ?? BarFrame.empty()).withInfo({ symbol: sym, timeframe: tf, simulated }),
        fetchedBars,
        addedBars,
        segments: {
          total: segments.length + skipped.length,
          completed: fetched.size - noDataSegments.length,
          failed: missing.length,
          noData: noDataSegments.length + skipped.length,
        },
        failedSegments,
        noDataRanges: [
          ...answered.map((r) => noDataRange(r, 'ib')),
          ...skipped.map((r) => noDataRange(r, 'remembered')),
        ].sort((a, b) => a.start.localeCompare(b.start)),
        missingRanges: missing.map((r) => ({ start: formatIsoUtc(r.start), end: formatIsoUtc(r.end) })),
        ...resumeOf(missing),
        gapsByKind: countByKind(analysis?.gaps ?? []),
        path: this.store.pathOf(sym, tf, { simulated }),
        ...notices,
        ...warningsOf(warnings),
      };
    };
    const cancelled = failures.find((error) => error.code === 'cancelled');
    if (cancelled !== undefined) throw withPartialLoad(cancelled, await finish());
    const lost = failures.find(isGatewayLost);
    if (lost !== undefined) throw gatewayLostError(lost, await finish());
    if (segments.length > 0 && failures.length === segments.length) {
      throw withPartialLoad(failures[0] as KtrdrError, await finish());
    }

    report({ percentage: 96, current_step: 'merge' });
    const result = await finish();
    report({ percentage: 98, current_step: 'save' });
    report({
      percentage: 100,
      current_step: 'done',
      steps_completed: segments.length,
      steps_total: segments.length,
    });
    return result;
  }

  private async loadLocal(
    symbol: ParsedSymbol,
    timeframe: Timeframe,
    start: number | undefined,
    end: number | undefined,
    report: (progress: OperationProgress) => void,
    warnings: StoreWarning[],
  ): Promise<LoadDataResult> {
    const range = { start, end, returnWarnings: true };
    // Real data first; simulated data only when no real series exists (and it stays labelled).
    const loaded =
      (await this.store.loadIfExists(symbol, timeframe, { ...range, simulated: false })) ??
      (await this.store.loadIfExists(symbol, timeframe, { ...range, simulated: true }));
    warnings.push(...(loaded?.warnings ?? []));
    if (loaded === undefined) {
      throw new NotFoundError(
        `No ${timeframe} data stored for ${symbol}: load it first (mode tail, backfill or full).`,
        {
          details: { symbol, timeframe },
        },
      );
    }
    report({ percentage: 100, current_step: 'done' });
    return {
      symbol,
      timeframe,
      mode: 'local',
      simulated: loaded.simulated,
      frame: loaded.frame.withInfo({ symbol, timeframe, simulated: loaded.simulated }),
      fetchedBars: 0,
      addedBars: 0,
      segments: { total: 0, completed: 0, failed: 0, noData: 0 },
      failedSegments: [],
      noDataRanges: [],
      missingRanges: [],
      gapsByKind: {},
      path: loaded.path,
    };
  }

  /** Converts stored weekly and monthly bars dated under the old convention (issue #20). */
  private async migratePeriodDates(
    symbol: string,
    timeframe: Timeframe,
    variants: readonly boolean[],
    calendar: TradingCalendar,
    warnings: StoreWarning[],
  ): Promise<{ notices?: string[] }> {
    const notices: string[] = [];
    for (const simulated of variants) {
      const notice = await migratePeriodDates(this.store, symbol, timeframe, {
        simulated,
        calendar,
        nowMs: this.now(),
        warnings,
      });
      if (notice !== undefined) notices.push(notice);
    }
    return notices.length > 0 ? { notices } : {};
  }

  private defaultStart(
    mode: LoadMode,
    end: number,
    head: number | undefined,
    storedEnd: number | undefined,
  ): number {
    if (mode === 'tail') return storedEnd ?? end - DEFAULT_TAIL_MS;
    return head ?? end - 365 * DAY_MS;
  }

  private contractInfo(
    symbol: string,
    instrumentType: InstrumentType | undefined,
    signal?: AbortSignal,
  ): Promise<ContractInfo> {
    // Shared by concurrent loads of the symbol, so it runs without any one load's signal: cancelling
    // one load must not fail the others. Each load still stops waiting when its own signal aborts.
    const lookup = this.validations.getOrLoad(`${symbol}:${instrumentType ?? ''}`, async () => {
      const validation = await this.adapter.validateSymbol(symbol, { instrumentType });
      if (!validation.isValid || validation.contractInfo === null) {
        throw new UnknownSymbolError(validation.errorMessage ?? `Unknown symbol ${symbol}`, {
          details: { symbol },
        });
      }
      return validation.contractInfo;
    });
    return raceAbort(lookup, signal, `Validating ${symbol}`);
  }

  private headTimestamp(
    symbol: string,
    timeframe: Timeframe,
    instrumentType: InstrumentType,
    signal?: AbortSignal,
  ) {
    const lookup = this.heads.getOrLoad(`${symbol}:${timeframe}`, () =>
      this.adapter.getHeadTimestamp(symbol, { timeframe, instrumentType }),
    );
    return raceAbort(lookup, signal, `Reading the head timestamp of ${symbol}`);
  }

  private calendarFor(info: ContractInfo): TradingCalendar {
    const fallback = calendarForInstrument(info.asset_type);
    // Stocks are fetched in regular hours: their liquid hours are the sessions to expect bars in.
    const hours = info.asset_type === 'STK' ? info.liquid_hours : info.trading_hours;
    if (hours === undefined || info.time_zone === undefined) return fallback;
    try {
      return calendarFromTradingHours(parseIbTradingHours(hours, info.time_zone), fallback);
    } catch {
      return fallback;
    }
  }

  /** Health of the adapter's service. */
  getHealthStatus(): Promise<HealthStatus> {
    return this.adapter.healthCheck();
  }
}

function countByKind(gaps: readonly Gap[]): Partial<Record<GapKind, number>> {
  const counts: Partial<Record<GapKind, number>> = {};
  for (const gap of gaps) counts[gap.kind] = (counts[gap.kind] ?? 0) + 1;
  return counts;
}

/**
 * `warnings` once each (one torn row is seen by several reads of a load), as the result's
 * `warnings` field: absent when there are none.
 */
function warningsOf(warnings: readonly StoreWarning[]): { warnings?: StoreWarning[] } {
  const seen = new Map(warnings.map((w) => [`${w.code} ${w.file}:${w.line ?? ''}`, w]));
  return seen.size > 0 ? { warnings: [...seen.values()] } : {};
}
