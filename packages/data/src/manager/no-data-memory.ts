import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DAY_MS } from '../domain/civil-date';
import { formatIsoUtc } from '../domain/dates';
import type { Timeframe } from '../domain/timeframes';
import type { TimeRange } from '../gaps/gap-types';
import { writeFileAtomic } from '../store/atomic-write';
import type { CsvStore } from '../store/csv-store';
import { withSeriesLock } from '../store/series-lock';
import { relativeFile, type StoreWarning, unreadableNoDataMemoryWarning } from '../store/store-warning';

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long an IB "no data" answer (error 162, or an empty reply) is remembered:
 * - {@link NO_DATA_TTL_OLD_MS} (7 days) for a range that ended more than {@link NO_DATA_RECENT_MS}
 *   (7 days) before the answer: IB's history of a settled week rarely changes (a halt, a day before
 *   listing), so asking again every load only costs pacing slots;
 * - {@link NO_DATA_TTL_RECENT_MS} (6 hours) for a more recent range: IB fills recent history late
 *   (corrections, a farm that was catching up), so the answer is worth re-checking the same day.
 * A load with `refetchEmpty` (CLI `--refetch-empty`) ignores and replaces what is remembered.
 */
export const NO_DATA_TTL_OLD_MS = 7 * DAY_MS;
/** See {@link NO_DATA_TTL_OLD_MS}. */
export const NO_DATA_TTL_RECENT_MS = 6 * HOUR_MS;
/** A range ending less than this before the answer is "recent". */
export const NO_DATA_RECENT_MS = 7 * DAY_MS;

/** A range IB answered with no data, and until when that answer is trusted. */
export interface RememberedNoData extends TimeRange {
  /** Epoch ms after which the range is asked for again. */
  until: number;
}

/** How long the answer "no data in `range`", given at `answeredAt`, is remembered. */
export function noDataLifetimeMs(range: TimeRange, answeredAt: number): number {
  return answeredAt - range.end > NO_DATA_RECENT_MS ? NO_DATA_TTL_OLD_MS : NO_DATA_TTL_RECENT_MS;
}

interface MemoryFile {
  /** Written for people who open the file. */
  note: string;
  ranges: { start: string; end: string; until: string }[];
}

/** How long an update waits for the memory file's lock before giving up (the answer is then not remembered). */
const MEMORY_LOCK_TIMEOUT_MS = 10_000;

/**
 * Ranges IB said hold no data, per series, persisted beside the series' CSV as
 * `.{SYMBOL}_{tf}.no-data.json` so every process that shares the data folder sees them.
 * - Updates read, change and write the file under its own lock (`.{SYMBOL}_{tf}.no-data.lock`, the
 *   store's {@link withSeriesLock}: in-process and across processes), so two loads never lose each
 *   other's answers; writes are atomic (the store's {@link writeFileAtomic}).
 * - It is a cache: a torn or corrupt file never fails a load. It counts as empty (those ranges are
 *   asked for again) with a {@link StoreWarning}, and the next update rewrites it. A data folder
 *   that cannot be written (or a lock held too long) only means the answer is not remembered.
 *
 * Warnings go to the `warnings` array a caller passes (the data manager carries them into its load
 * result); without one they go to `process.emitWarning`, so none is dropped unseen.
 */
export class NoDataMemory {
  constructor(
    private readonly store: CsvStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The file that holds the series' remembered ranges. */
  pathOf(symbol: string, timeframe: Timeframe, simulated: boolean): string {
    const csv = this.store.pathOf(symbol, timeframe, { simulated });
    return join(dirname(csv), `.${basename(csv, '.csv')}.no-data.json`);
  }

  /** Remembered ranges that have not expired, in time order. */
  async recall(
    symbol: string,
    timeframe: Timeframe,
    simulated: boolean,
    warnings?: StoreWarning[],
  ): Promise<RememberedNoData[]> {
    const now = this.now();
    const entries = await this.read(this.pathOf(symbol, timeframe, simulated), warnings);
    return entries.filter((range) => range.until > now);
  }

  /**
   * Remembers `ranges` as answered now (replacing what overlaps them) and drops expired entries.
   * Returns the remembered entries for `ranges`.
   */
  async remember(
    symbol: string,
    timeframe: Timeframe,
    simulated: boolean,
    ranges: readonly TimeRange[],
    warnings?: StoreWarning[],
  ): Promise<RememberedNoData[]> {
    const now = this.now();
    const fresh = ranges.map((range) => ({ ...range, until: now + noDataLifetimeMs(range, now) }));
    if (fresh.length === 0) return fresh;
    await this.update(this.pathOf(symbol, timeframe, simulated), warnings, (entries) => [
      ...entries.filter(
        (old) => old.until > now && !fresh.some((range) => range.start < old.end && old.start < range.end),
      ),
      ...fresh,
    ]);
    return fresh;
  }

  /** Forgets the series' answers inside `range` (a forced refetch asks again, whatever it gets). */
  async forget(
    symbol: string,
    timeframe: Timeframe,
    simulated: boolean,
    range: TimeRange,
    warnings?: StoreWarning[],
  ): Promise<void> {
    const path = this.pathOf(symbol, timeframe, simulated);
    // Nothing to forget (the usual case): no lock taken.
    if (!(await this.read(path, warnings)).some((old) => old.end > range.start && old.start < range.end))
      return;
    // The read above already reported a damaged file; the re-read under the lock need not again.
    await this.update(path, [], (entries) => {
      const kept = entries.filter((old) => old.end <= range.start || old.start >= range.end);
      return kept.length === entries.length ? undefined : kept;
    });
  }

  /** Reads, changes (`undefined`: leave as is) and writes the file, all under its lock. */
  private async update(
    path: string,
    warnings: StoreWarning[] | undefined,
    change: (entries: RememberedNoData[]) => RememberedNoData[] | undefined,
  ): Promise<void> {
    const label = relativeFile(this.store.dataDir, path);
    try {
      await fsp.mkdir(dirname(path), { recursive: true });
      await withSeriesLock(
        { file: path, lockPath: path.replace(/\.json$/, '.lock'), label },
        async (assertHeld) => {
          const next = change(await this.read(path, warnings));
          if (next !== undefined) await this.write(path, next, assertHeld);
        },
        { timeoutMs: MEMORY_LOCK_TIMEOUT_MS },
      );
    } catch {
      // A read-only data folder or a lock held too long: the answer is simply not remembered, and
      // asked again next time.
    }
  }

  /** Caller holds the file's lock. */
  private async write(
    path: string,
    entries: readonly RememberedNoData[],
    assertHeld: () => void,
  ): Promise<void> {
    if (entries.length === 0) {
      assertHeld();
      await fsp.rm(path, { force: true });
      return;
    }
    const file: MemoryFile = {
      note: 'Ranges IB answered with no data (error 162 or an empty reply): ktrdr does not ask for them again before "until". Load with --refetch-empty, or delete this file, to ask again.',
      ranges: [...entries]
        .sort((a, b) => a.start - b.start)
        .map((r) => ({
          start: formatIsoUtc(r.start),
          end: formatIsoUtc(r.end),
          until: formatIsoUtc(r.until),
        })),
    };
    await writeFileAtomic(path, Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8'), {
      beforeCommit: assertHeld,
    });
  }

  /** The file's entries; an absent file is empty, an unreadable one too, with a warning. */
  private async read(path: string, warnings: StoreWarning[] | undefined): Promise<RememberedNoData[]> {
    let text: string;
    try {
      text = await fsp.readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.warn(path, code ?? 'read error', warnings);
      return [];
    }
    try {
      const file = JSON.parse(text) as Partial<MemoryFile> | null;
      if (file === null || typeof file !== 'object' || !Array.isArray(file.ranges)) {
        throw new Error('no "ranges" list');
      }
      return file.ranges
        .map((r) => ({ start: Date.parse(r.start), end: Date.parse(r.end), until: Date.parse(r.until) }))
        .filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end) && Number.isFinite(r.until));
    } catch (error) {
      this.warn(path, error instanceof Error ? error.message : String(error), warnings);
      return [];
    }
  }

  private warn(path: string, reason: string, warnings: StoreWarning[] | undefined): void {
    const warning = unreadableNoDataMemoryWarning(this.store.dataDir, path, reason);
    if (warnings !== undefined) warnings.push(warning);
    else
      process.emitWarning(warning.message, {
        type: 'KtrdrStoreWarning',
        code: 'KTRDR_UNREADABLE_NO_DATA_MEMORY',
      });
  }
}

/** `segments` minus every part covered by `holes` (both in any order); empty pieces are dropped. */
export function subtractRanges(segments: readonly TimeRange[], holes: readonly TimeRange[]): TimeRange[] {
  const sorted = [...holes].sort((a, b) => a.start - b.start);
  const out: TimeRange[] = [];
  for (const segment of segments) {
    let start = segment.start;
    for (const hole of sorted) {
      if (hole.end <= start || hole.start >= segment.end) continue;
      if (hole.start > start) out.push({ start, end: hole.start });
      start = Math.max(start, hole.end);
      if (start >= segment.end) break;
    }
    if (start < segment.end) out.push({ start, end: segment.end });
  }
  return out;
}
