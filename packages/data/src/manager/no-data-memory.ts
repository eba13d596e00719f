import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DAY_MS } from '../domain/civil-date';
import { formatIsoUtc } from '../domain/dates';
import type { Timeframe } from '../domain/timeframes';
import type { TimeRange } from '../gaps/gap-types';
import { writeFileAtomic } from '../store/atomic-write';
import type { CsvStore } from '../store/csv-store';

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

/**
 * Ranges IB said hold no data, per series, persisted beside the series' CSV as
 * `.{SYMBOL}_{tf}.no-data.json` so every process that shares the data folder sees them. It is a
 * cache: a lost update between two processes only costs one more request, so a rename-atomic write
 * is enough and no lock is taken. An unreadable file counts as empty.
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
  async recall(symbol: string, timeframe: Timeframe, simulated: boolean): Promise<RememberedNoData[]> {
    const now = this.now();
    return (await this.read(this.pathOf(symbol, timeframe, simulated))).filter((range) => range.until > now);
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
  ): Promise<RememberedNoData[]> {
    const now = this.now();
    const fresh = ranges.map((range) => ({ ...range, until: now + noDataLifetimeMs(range, now) }));
    if (fresh.length === 0) return fresh;
    const path = this.pathOf(symbol, timeframe, simulated);
    const kept = (await this.read(path)).filter(
      (old) => old.until > now && !fresh.some((range) => range.start < old.end && old.start < range.end),
    );
    await this.write(path, [...kept, ...fresh]);
    return fresh;
  }

  /** Forgets the series' answers inside `range` (a forced refetch asks again, whatever it gets). */
  async forget(symbol: string, timeframe: Timeframe, simulated: boolean, range: TimeRange): Promise<void> {
    const path = this.pathOf(symbol, timeframe, simulated);
    const entries = await this.read(path);
    const kept = entries.filter((old) => old.end <= range.start || old.start >= range.end);
    if (kept.length === entries.length) return;
    await this.write(path, kept);
  }

  private async write(path: string, entries: readonly RememberedNoData[]): Promise<void> {
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
    try {
      if (file.ranges.length === 0) {
        await fsp.rm(path, { force: true });
        return;
      }
      await fsp.mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8'));
    } catch {
      // A read-only data folder: the answer is simply not remembered, and asked again next time.
    }
  }

  private async read(path: string): Promise<RememberedNoData[]> {
    let text: string;
    try {
      text = await fsp.readFile(path, 'utf8');
    } catch {
      return [];
    }
    try {
      const file = JSON.parse(text) as Partial<MemoryFile>;
      return (file.ranges ?? [])
        .map((r) => ({ start: Date.parse(r.start), end: Date.parse(r.end), until: Date.parse(r.until) }))
        .filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end) && Number.isFinite(r.until));
    } catch {
      return [];
    }
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
