import { InternalError, isKtrdrError, NotFoundError, ValidationError } from '@ktrdr/core/errors';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { BarFrame } from '../domain/bar-frame';
import { TIMEFRAMES, type Timeframe } from '../domain/timeframes';
import { type AtomicWriteIo, nodeIo, writeFileAtomic } from './atomic-write';
import {
  type CsvStamp,
  readCacheSummary,
  readColumnCache,
  readColumnCacheTail,
  stampOf,
  writeColumnCache,
} from './column-cache';
import { formatBarsCsv } from './csv-format';
import { parseBarsCsvFile } from './csv-parse';
import {
  type FileVersion,
  type HotCacheOptions,
  HotSeriesCache,
  type SeriesMemo,
  versionOf,
} from './hot-series-cache';
import { removeOrphanTemps } from './orphan-temps';
import { type AssertLockHeld, type SeriesLockOptions, withSeriesLock } from './series-lock';
import {
  SIMULATED_DIR,
  SIMULATED_MARKER_FILE,
  SIMULATED_MARKER_TEXT,
  type SeriesPaths,
  parseSeriesFileName,
  resolveSeriesPaths,
} from './series-paths';
import { type StoreWarning, type TornRowWarning, tornRowWarning } from './store-warning';

/** Options of {@link CsvStore}. */
export interface CsvStoreOptions {
  /** The data folder (`{dataDir}/{SYMBOL}_{tf}.csv`); created on first write. */
  dataDir: string;
  /** Keep a columnar cache beside each CSV (default true). */
  cache?: boolean;
  /** File operations for writes; tests inject failures here. */
  io?: AtomicWriteIo;
  /**
   * Receives every {@link StoreWarning} once per file version (reads and writes also return them).
   * Default: `process.emitWarning` (type `KtrdrStoreWarning`), so nothing is ever dropped unseen.
   */
  onWarning?: (warning: StoreWarning) => void;
  /** The writers' cross-process lock: when a silent holder counts as dead, how long to wait. */
  lock?: SeriesLockOptions;
  /**
   * Keep recently read series in memory (default on, 64 MiB), each checked against its file's
   * version (size, times, inode) at every read, so writes by any process are seen at once;
   * `false` turns it off.
   */
  hotCache?: HotCacheOptions | false;
}

/** Chooses real (`false`, the default) or simulated series: the two never mix. */
export interface SeriesOptions {
  simulated?: boolean;
  /**
   * The caller shows the `warnings` this call returns itself (the data manager carries them into
   * its load result), so the store does not also pass them to {@link CsvStoreOptions.onWarning}.
   */
  returnWarnings?: boolean;
}

/** Options of {@link CsvStore.load}. */
export interface LoadOptions extends SeriesOptions {
  /** Keep bars with `time >= start` (UTC epoch ms). */
  start?: number;
  /** Keep bars with `time < end` (UTC epoch ms). */
  end?: number;
}

/** A series read from the store. */
export interface LoadedSeries {
  symbol: string;
  timeframe: Timeframe;
  /** True when the bars are synthetic (from the IB simulator), never real market data. */
  simulated: boolean;
  frame: BarFrame;
  path: string;
  /** True when a cache served the read: the columnar cache file or the in-memory one. */
  fromCache: boolean;
  /** What the read worked around, such as a torn last row left out; empty when nothing. */
  warnings: TornRowWarning[];
  /**
   * Present when the read came from the store's memory: a place to keep forms derived from this
   * version of the file (an answer's bytes), which leave memory with it. Key them by everything
   * that shaped them besides the file (a range, a limit).
   */
  memo?: SeriesMemo;
}

/** The outcome of a write. */
export interface SavedSeries {
  symbol: string;
  timeframe: Timeframe;
  simulated: boolean;
  path: string;
  /** Bars in the file after the write. */
  rows: number;
  /** Bars that were not in the file before (for `mergeAndSave`; equals `rows` for `save`). */
  added: number;
  /** False when nothing needed writing (merging an empty frame into a sound file). */
  written: boolean;
  /** What the write repaired, such as a torn last row dropped from the file; empty when nothing. */
  warnings: TornRowWarning[];
}

/** First and last bar time of a stored series. */
export interface SeriesRange {
  start: number;
  end: number;
  rows: number;
}

/** One stored series, as {@link CsvStore.list} reports it. */
export interface SeriesInfo {
  symbol: string;
  timeframe: Timeframe;
  simulated: boolean;
  rows: number;
  /** First bar time (UTC epoch ms); `undefined` for an empty file or an unreadable one. */
  start: number | undefined;
  /** Last bar time (UTC epoch ms). */
  end: number | undefined;
  path: string;
  sizeBytes: number;
  modifiedMs: number;
  /** Why the file could not be read, when it could not. */
  error?: string;
}

const RESOLVED_PATHS_KEPT = 4096;

/**
 * The local bar store: one CSV per series in the Python KTRDR layout
 * (`{dataDir}/{SYMBOL}_{timeframe}.csv`), simulated series apart in `{dataDir}/simulated/`.
 *
 * - Reads parse bytes directly and keep a columnar cache beside each CSV, rebuilt whenever the CSV
 *   changes, so repeated loads are a single file read.
 * - Writes are atomic (temp file, fsync, rename, fsync folder), so a crash never leaves a torn file,
 *   and serialised per series by a lock that holds in-process, across processes and across machines
 *   sharing the data folder (see {@link withSeriesLock}); `mergeAndSave` re-reads the file under it,
 *   so concurrent merges never lose bars. The next write of a series removes the temp files that
 *   killed writers left.
 * - A last row without a line end (another tool's torn write) is left out with a
 *   {@link StoreWarning}, never served, and dropped from the file at the next write.
 * - Every symbol is validated, so no name reaches outside the data folder.
 */
export class CsvStore {
  /** Absolute data folder. */
  readonly dataDir: string;
  readonly #cache: boolean;
  readonly #hot: HotSeriesCache | undefined;
  readonly #io: AtomicWriteIo;
  readonly #onWarning: (warning: StoreWarning) => void;
  readonly #lock: SeriesLockOptions;
  /** Files (path and stamp) already warned about, so a torn file read often warns once. */
  readonly #warned = new Set<string>();
  /** Validated paths by the caller's own symbol and timeframe: a hot read resolves none. */
  readonly #resolved = new Map<string, SeriesPaths>();

  constructor(options: CsvStoreOptions) {
    if (typeof options?.dataDir !== 'string' || options.dataDir.trim() === '') {
      throw new ValidationError('CsvStore needs a dataDir: the folder that holds the CSV files.', {
        details: { field: 'dataDir' },
      });
    }
    this.dataDir = resolve(options.dataDir);
    this.#cache = options.cache ?? true;
    this.#hot = options.hotCache === false ? undefined : new HotSeriesCache(options.hotCache);
    this.#io = options.io ?? nodeIo;
    this.#onWarning = options.onWarning ?? emitProcessWarning;
    this.#lock = options.lock ?? {};
  }

  /** Absolute CSV path of a series (validates symbol and timeframe). */
  pathOf(symbol: string, timeframe: Timeframe | string, options: SeriesOptions = {}): string {
    return this.#paths(symbol, timeframe, options).csv;
  }

  /** True when the series has a CSV file. */
  async exists(symbol: string, timeframe: Timeframe | string, options: SeriesOptions = {}): Promise<boolean> {
    const paths = this.#paths(symbol, timeframe, options);
    try {
      return (await fsp.stat(paths.csv)).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Reads a series.
   * @throws NotFoundError when it is not stored; ValidationError on bad input or a malformed file.
   */
  async load(
    symbol: string,
    timeframe: Timeframe | string,
    options: LoadOptions = {},
  ): Promise<LoadedSeries> {
    const loaded = await this.loadIfExists(symbol, timeframe, options);
    if (loaded === undefined) {
      const paths = this.#paths(symbol, timeframe, options);
      throw new NotFoundError(
        `No ${paths.simulated ? 'simulated ' : ''}${paths.timeframe} data stored for ${paths.symbol} (${paths.csv}): load it first.`,
        {
          details: {
            symbol: paths.symbol,
            timeframe: paths.timeframe,
            simulated: paths.simulated,
            path: paths.csv,
          },
        },
      );
    }
    return loaded;
  }

  /** Like {@link CsvStore.load}, but `undefined` when the series is not stored. */
  async loadIfExists(
    symbol: string,
    timeframe: Timeframe | string,
    options: LoadOptions = {},
  ): Promise<LoadedSeries | undefined> {
    const paths = this.#paths(symbol, timeframe, options);
    const read = await this.#read(paths, options);
    if (read === undefined) return undefined;
    const frame =
      options.start === undefined && options.end === undefined
        ? read.frame
        : read.frame.slice(
            options.start ?? Number.NEGATIVE_INFINITY,
            options.end ?? Number.POSITIVE_INFINITY,
          );
    return {
      ...describe(paths),
      frame,
      path: paths.csv,
      fromCache: read.fromCache,
      warnings: read.warnings,
      ...(read.memo === undefined ? {} : { memo: read.memo }),
    };
  }

  /**
   * The last `limit` bars of a series (all when it has fewer), `undefined` when it is not stored.
   * Served from memory when this version of the file was read before, else from the columnar
   * cache's last bars alone; the whole series is parsed only when the cache cannot serve (no cache
   * yet, a CSV changed by another tool, a torn last row), and then the answer is the same tail.
   */
  async loadTailIfExists(
    symbol: string,
    timeframe: Timeframe | string,
    limit: number,
    options: SeriesOptions = {},
  ): Promise<LoadedSeries | undefined> {
    const paths = this.#paths(symbol, timeframe, options);
    const found = (frame: BarFrame, fromCache: boolean, warnings: TornRowWarning[], memo?: SeriesMemo) => ({
      ...describe(paths),
      frame: frame.tail(limit),
      path: paths.csv,
      fromCache,
      warnings,
      ...(memo === undefined ? {} : { memo }),
    });
    if (this.#hot !== undefined) {
      const version = this.#version(paths);
      if (version === undefined) return undefined;
      const hit = this.#hot.get(paths.csv, version, limit);
      if (hit !== undefined) return found(hit.frame, true, [], hit.memo);
    }
    if (this.#cache) {
      const tail = await this.#readCacheTail(paths, limit);
      if (tail !== undefined) return found(tail.frame, true, [], tail.memo);
    }
    const read = await this.#read(paths, options);
    return read === undefined ? undefined : found(read.frame, read.fromCache, read.warnings, read.memo);
  }

  /** Replaces the series with `frame`. */
  async save(
    symbol: string,
    timeframe: Timeframe | string,
    frame: BarFrame,
    options: SeriesOptions = {},
  ): Promise<SavedSeries> {
    const paths = this.#paths(symbol, timeframe, options);
    assertFrame(frame);
    return this.#locked(paths, async (assertHeld) => {
      await this.#write(paths, frame, assertHeld);
      return {
        ...describe(paths),
        path: paths.csv,
        rows: frame.length,
        added: frame.length,
        written: true,
        warnings: [],
      };
    });
  }

  /**
   * Merges `frame` into the stored series (creating it if needed) and writes the result, all under
   * the series' lock, re-reading the file there, so concurrent calls (in any process) each see the
   * previous one's bars. Where both hold a bar at the same time, `frame`'s bar wins. A malformed
   * stored file is reported, never overwritten; a torn last row is dropped from it (`warnings`).
   */
  async mergeAndSave(
    symbol: string,
    timeframe: Timeframe | string,
    frame: BarFrame,
    options: SeriesOptions = {},
  ): Promise<SavedSeries> {
    const paths = this.#paths(symbol, timeframe, options);
    assertFrame(frame);
    return this.#locked(paths, async (assertHeld) => {
      const read = await this.#read(paths, options);
      const existing = read?.frame ?? BarFrame.empty();
      const warnings = read?.warnings ?? [];
      if (frame.length === 0 && warnings.length === 0) {
        return {
          ...describe(paths),
          path: paths.csv,
          rows: existing.length,
          added: 0,
          written: false,
          warnings,
        };
      }
      // Also written when `frame` is empty but the file had a torn row: that repairs it.
      const merged = frame.length === 0 ? existing : existing.merge(frame);
      await this.#write(paths, merged, assertHeld);
      return {
        ...describe(paths),
        path: paths.csv,
        rows: merged.length,
        added: merged.length - existing.length,
        written: true,
        warnings,
      };
    });
  }

  /**
   * Rewrites a stored series whole under the series' lock: re-reads the file there, gives its bars to
   * `transform`, and saves what it returns, so no other writer (in any process) can slip a write in
   * between the read and the save and lose its bars. `transform` returns `undefined` to leave the
   * file as it is. Used to convert a stored file to a new convention.
   * @returns the save's outcome, or `undefined` when the series is not stored or `transform` left it.
   */
  async rewriteUnderLock(
    symbol: string,
    timeframe: Timeframe | string,
    transform: (frame: BarFrame) => BarFrame | undefined,
    options: SeriesOptions = {},
  ): Promise<SavedSeries | undefined> {
    const paths = this.#paths(symbol, timeframe, options);
    return this.#locked(paths, async (assertHeld) => {
      const read = await this.#read(paths, options);
      if (read === undefined) return undefined;
      const next = transform(read.frame);
      if (next === undefined) return undefined;
      assertFrame(next);
      await this.#write(paths, next, assertHeld);
      return {
        ...describe(paths),
        path: paths.csv,
        rows: next.length,
        added: Math.max(0, next.length - read.frame.length),
        written: true,
        warnings: read.warnings,
      };
    });
  }

  /** First and last bar time of a series; `undefined` when it is not stored or empty. */
  async dateRange(
    symbol: string,
    timeframe: Timeframe | string,
    options: SeriesOptions = {},
  ): Promise<SeriesRange | undefined> {
    const paths = this.#paths(symbol, timeframe, options);
    const summary = await this.#summary(paths, options);
    if (summary === undefined || summary.rows === 0) return undefined;
    return { start: summary.start as number, end: summary.end as number, rows: summary.rows };
  }

  /**
   * Lists stored series: real ones, simulated ones, or both (default). Files whose names are not
   * `{SYMBOL}_{timeframe}.csv` are ignored; unreadable ones are listed with `error`.
   */
  async list(options: { simulated?: boolean } = {}): Promise<SeriesInfo[]> {
    const kinds = options.simulated === undefined ? [false, true] : [options.simulated];
    const out: SeriesInfo[] = [];
    for (const simulated of kinds) {
      const dir = simulated ? join(this.dataDir, SIMULATED_DIR) : this.dataDir;
      let names: string[];
      try {
        names = await fsp.readdir(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        const parsed = parseSeriesFileName(name);
        if (parsed === undefined) continue;
        const paths = resolveSeriesPaths(this.dataDir, parsed.symbol, parsed.timeframe, simulated);
        let stats;
        try {
          stats = await fsp.stat(paths.csv);
        } catch {
          continue; // deleted while listing
        }
        if (!stats.isFile()) continue;
        const info: SeriesInfo = {
          ...describe(paths),
          rows: 0,
          start: undefined,
          end: undefined,
          path: paths.csv,
          sizeBytes: stats.size,
          modifiedMs: stats.mtimeMs,
        };
        try {
          const summary = await this.#summary(paths);
          if (summary !== undefined) Object.assign(info, summary);
        } catch (error) {
          info.error = error instanceof Error ? error.message : String(error);
        }
        out.push(info);
      }
    }
    const order = (tf: Timeframe): number => TIMEFRAMES.indexOf(tf);
    return out.sort(
      (a, b) =>
        a.symbol.localeCompare(b.symbol) ||
        order(a.timeframe) - order(b.timeframe) ||
        Number(a.simulated) - Number(b.simulated),
    );
  }

  /** Deletes a series and its cache; false when it was not stored. */
  async delete(symbol: string, timeframe: Timeframe | string, options: SeriesOptions = {}): Promise<boolean> {
    const paths = this.#paths(symbol, timeframe, options);
    if (!(await this.exists(symbol, timeframe, options))) return false;
    return this.#locked(paths, async () => {
      this.#hot?.delete(paths.csv);
      await removeOrphanTemps(paths);
      await fsp.rm(paths.cache, { force: true });
      try {
        await fsp.unlink(paths.csv);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw ioError('delete', paths.csv, error);
      }
    });
  }

  #paths(symbol: string, timeframe: Timeframe | string, options: SeriesOptions): SeriesPaths {
    if (options.simulated !== undefined && typeof options.simulated !== 'boolean') {
      throw new ValidationError('simulated must be true or false.', { details: { field: 'simulated' } });
    }
    const simulated = options.simulated === true;
    if (typeof symbol !== 'string' || typeof timeframe !== 'string') {
      return resolveSeriesPaths(this.dataDir, symbol, timeframe, simulated);
    }
    const key = `${simulated ? 's' : 'r'}\0${symbol}\0${timeframe}`;
    let paths = this.#resolved.get(key);
    if (paths === undefined) {
      paths = resolveSeriesPaths(this.dataDir, symbol, timeframe, simulated);
      // Bounded: callers' spellings of symbols are not ours to keep without limit.
      if (this.#resolved.size >= RESOLVED_PATHS_KEPT) this.#resolved.clear();
      this.#resolved.set(key, paths);
    }
    return paths;
  }

  /** Runs `fn` under the series' lock (in-process and cross-process), creating the folder first. */
  async #locked<T>(paths: SeriesPaths, fn: (assertHeld: AssertLockHeld) => Promise<T>): Promise<T> {
    try {
      await fsp.mkdir(paths.dir, { recursive: true });
    } catch (error) {
      throw ioError('write', paths.csv, error);
    }
    const label = relative(this.dataDir, paths.csv).split(sep).join('/');
    return withSeriesLock({ file: paths.csv, lockPath: paths.lock, label }, fn, this.#lock);
  }

  /**
   * Reads through one open handle: the stamp and the bytes then belong to the same file even when
   * a writer renames a new one into place meanwhile, so a cache is never stamped with the wrong CSV.
   */
  async #read(
    paths: SeriesPaths,
    options: SeriesOptions = {},
  ): Promise<
    | { frame: BarFrame; fromCache: boolean; warnings: TornRowWarning[]; memo?: SeriesMemo | undefined }
    | undefined
  > {
    if (this.#hot !== undefined) {
      const version = this.#version(paths);
      if (version === undefined) return undefined;
      const hit = this.#hot.get(paths.csv, version);
      if (hit !== undefined) return { frame: hit.frame, fromCache: true, warnings: [], memo: hit.memo };
    }
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(paths.csv, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw ioError('read', paths.csv, error);
    }
    let parsed: ReturnType<typeof parseBarsCsvFile>;
    let stamp: CsvStamp;
    let version: FileVersion;
    try {
      const stats = await handle.stat();
      stamp = stampOf(stats);
      version = versionOf(stats);
      if (this.#cache) {
        const cached = await readColumnCache(paths.cache, stamp);
        if (cached !== undefined) {
          const memo = this.#hot?.set(paths.csv, version, cached, true);
          return { frame: cached, fromCache: true, warnings: [], memo };
        }
      }
      const bytes = await handle.readFile();
      parsed = parseBarsCsvFile(bytes, paths.csv);
    } catch (error) {
      throw isKtrdrError(error) ? error : ioError('read', paths.csv, error);
    } finally {
      await handle.close();
    }
    if (parsed.torn !== undefined) {
      // Not cached: every read of the torn file warns, until a write repairs it.
      const warning = tornRowWarning(this.dataDir, paths.csv, parsed.torn);
      const key = `${paths.csv}:${stamp.size}:${stamp.mtimeMs}:${stamp.ino}:${stamp.ctimeMs}`;
      if (options.returnWarnings !== true && !this.#warned.has(key)) {
        this.#warned.add(key);
        this.#onWarning(warning);
      }
      return { frame: parsed.frame, fromCache: false, warnings: [warning] };
    }
    if (this.#cache) await this.#refreshCache(paths, parsed.frame, stamp);
    const memo = this.#hot?.set(paths.csv, version, parsed.frame, true);
    return { frame: parsed.frame, fromCache: false, warnings: [], memo };
  }

  /**
   * The CSV's current version; `undefined` when it does not exist. A synchronous stat on purpose:
   * every read of a cached series pays it, and through the thread pool it costs several times the
   * CPU (40-250 us against 11-15 us a pair here) for a call that does not wait on the disk.
   */
  #version(paths: SeriesPaths): FileVersion | undefined {
    try {
      const stats = fs.statSync(paths.csv, { throwIfNoEntry: false });
      return stats === undefined ? undefined : versionOf(stats);
    } catch (error) {
      throw ioError('read', paths.csv, error);
    }
  }

  /**
   * The last `limit` bars from the columnar cache alone, kept in memory for the next read; stamp
   * and version come from one open handle, as in {@link CsvStore.#read}.
   */
  async #readCacheTail(
    paths: SeriesPaths,
    limit: number,
  ): Promise<{ frame: BarFrame; memo: SeriesMemo | undefined } | undefined> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(paths.csv, 'r');
    } catch {
      return undefined; // gone or unreadable: the full read says which
    }
    try {
      const stats = await handle.stat();
      const tail = await readColumnCacheTail(paths.cache, stampOf(stats), limit);
      if (tail === undefined) return undefined;
      const complete = tail.frame.length === tail.rows;
      return { frame: tail.frame, memo: this.#hot?.set(paths.csv, versionOf(stats), tail.frame, complete) };
    } catch {
      return undefined;
    } finally {
      await handle.close();
    }
  }

  async #summary(
    paths: SeriesPaths,
    options: SeriesOptions = {},
  ): Promise<{ rows: number; start?: number; end?: number } | undefined> {
    if (this.#cache) {
      try {
        const summary = await readCacheSummary(paths.cache, stampOf(await fsp.stat(paths.csv)));
        if (summary !== undefined)
          return { rows: summary.rows, start: summary.firstTime, end: summary.lastTime };
      } catch {
        return undefined; // the CSV is gone
      }
    }
    const read = await this.#read(paths, options);
    if (read === undefined) return undefined;
    return { rows: read.frame.length, start: read.frame.firstTime, end: read.frame.lastTime };
  }

  /** Caches `frame` if the CSV is still the one it was read from; a failed cache write only costs speed. */
  async #refreshCache(paths: SeriesPaths, frame: BarFrame, stamp: CsvStamp): Promise<void> {
    try {
      const now = stampOf(await fsp.stat(paths.csv));
      if (
        now.size !== stamp.size ||
        now.mtimeMs !== stamp.mtimeMs ||
        now.ino !== stamp.ino ||
        now.ctimeMs !== stamp.ctimeMs
      )
        return;
      await writeColumnCache(paths.cache, frame, stamp, this.#io);
    } catch {
      // e.g. a read-only data folder: loads still work, just without the cache.
    }
  }

  /** Caller holds the series lock (`assertHeld` checks it still does before the commit). */
  async #write(paths: SeriesPaths, frame: BarFrame, assertHeld: AssertLockHeld): Promise<void> {
    const bytes = formatBarsCsv(frame);
    await removeOrphanTemps(paths);
    try {
      if (paths.simulated) await this.#ensureSimulatedMarker(paths.dir);
      await writeFileAtomic(paths.csv, bytes, { io: this.#io, beforeCommit: assertHeld });
    } catch (error) {
      throw isKtrdrError(error) ? error : ioError('write', paths.csv, error);
    }
    this.#hot?.delete(paths.csv);
    if (this.#cache) {
      try {
        await writeColumnCache(paths.cache, frame, stampOf(await fsp.stat(paths.csv)), this.#io);
      } catch {
        // The old cache's stamp no longer matches the new CSV, so it will simply be rebuilt.
      }
    }
  }

  async #ensureSimulatedMarker(dir: string): Promise<void> {
    const marker = join(dir, SIMULATED_MARKER_FILE);
    try {
      await fsp.access(marker);
    } catch {
      await writeFileAtomic(marker, Buffer.from(SIMULATED_MARKER_TEXT, 'utf8'), { io: this.#io });
    }
  }
}

function emitProcessWarning(warning: StoreWarning): void {
  process.emitWarning(warning.message, {
    type: 'KtrdrStoreWarning',
    code: `KTRDR_${warning.code.toUpperCase()}`,
  });
}

function describe(paths: SeriesPaths): Pick<SeriesInfo, 'symbol' | 'timeframe' | 'simulated'> {
  return { symbol: paths.symbol, timeframe: paths.timeframe, simulated: paths.simulated };
}

function assertFrame(frame: unknown): asserts frame is BarFrame {
  if (!(frame instanceof BarFrame)) {
    throw new ValidationError(
      'Expected a BarFrame: build one with BarFrame.fromColumns or BarFrame.fromRows.',
      {
        details: { field: 'frame' },
      },
    );
  }
}

function ioError(action: 'read' | 'write' | 'delete', path: string, cause: unknown): InternalError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const kept = action === 'write' ? ' The stored file is unchanged.' : '';
  return new InternalError(
    `Could not ${action} ${path}${code === undefined ? '' : ` (${code})`}: check the data folder's permissions and free space.${kept}`,
    { details: { path, action, ...(code === undefined ? {} : { errno: code }) }, cause },
  );
}
