import { InternalError, isKtrdrError, NotFoundError, ValidationError } from '@ktrdr/core/errors';
import * as fsp from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BarFrame } from '../domain/bar-frame';
import { TIMEFRAMES, type Timeframe } from '../domain/timeframes';
import { type AtomicWriteIo, nodeIo, writeFileAtomic } from './atomic-write';
import { type CsvStamp, readCacheSummary, readColumnCache, stampOf, writeColumnCache } from './column-cache';
import { formatBarsCsv } from './csv-format';
import { parseBarsCsv } from './csv-parse';
import { seriesLocks } from './keyed-mutex';
import {
  SIMULATED_DIR,
  SIMULATED_MARKER_FILE,
  SIMULATED_MARKER_TEXT,
  type SeriesPaths,
  parseSeriesFileName,
  resolveSeriesPaths,
} from './series-paths';

/** Options of {@link CsvStore}. */
export interface CsvStoreOptions {
  /** The data folder (`{dataDir}/{SYMBOL}_{tf}.csv`); created on first write. */
  dataDir: string;
  /** Keep a columnar cache beside each CSV (default true). */
  cache?: boolean;
  /** File operations for writes; tests inject failures here. */
  io?: AtomicWriteIo;
}

/** Chooses real (`false`, the default) or simulated series: the two never mix. */
export interface SeriesOptions {
  simulated?: boolean;
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
  /** True when the columnar cache served the read. */
  fromCache: boolean;
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
  /** False when nothing needed writing (merging an empty frame). */
  written: boolean;
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

/**
 * The local bar store: one CSV per series in the Python KTRDR layout
 * (`{dataDir}/{SYMBOL}_{timeframe}.csv`), simulated series apart in `{dataDir}/simulated/`.
 *
 * - Reads parse bytes directly and keep a columnar cache beside each CSV, rebuilt whenever the CSV
 *   changes, so repeated loads are a single file read.
 * - Writes are atomic (temp file, fsync, rename, fsync folder) and serialised per file by a
 *   process-wide lock, so concurrent `mergeAndSave` calls never lose bars and a crash never leaves
 *   a torn file. Other processes writing the same files are not coordinated with.
 * - Every symbol is validated, so no name reaches outside the data folder.
 */
export class CsvStore {
  /** Absolute data folder. */
  readonly dataDir: string;
  readonly #cache: boolean;
  readonly #io: AtomicWriteIo;

  constructor(options: CsvStoreOptions) {
    if (typeof options?.dataDir !== 'string' || options.dataDir.trim() === '') {
      throw new ValidationError('CsvStore needs a dataDir: the folder that holds the CSV files.', {
        details: { field: 'dataDir' },
      });
    }
    this.dataDir = resolve(options.dataDir);
    this.#cache = options.cache ?? true;
    this.#io = options.io ?? nodeIo;
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
    const read = await this.#read(paths);
    if (read === undefined) return undefined;
    const frame =
      options.start === undefined && options.end === undefined
        ? read.frame
        : read.frame.slice(
            options.start ?? Number.NEGATIVE_INFINITY,
            options.end ?? Number.POSITIVE_INFINITY,
          );
    return { ...describe(paths), frame, path: paths.csv, fromCache: read.fromCache };
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
    return seriesLocks.run(paths.csv, async () => {
      await this.#write(paths, frame);
      return { ...describe(paths), path: paths.csv, rows: frame.length, added: frame.length, written: true };
    });
  }

  /**
   * Merges `frame` into the stored series (creating it if needed) and writes the result, all under
   * the series' lock, so concurrent calls each see the previous one's bars. Where both hold a bar at
   * the same time, `frame`'s bar wins. A malformed stored file is reported, never overwritten.
   */
  async mergeAndSave(
    symbol: string,
    timeframe: Timeframe | string,
    frame: BarFrame,
    options: SeriesOptions = {},
  ): Promise<SavedSeries> {
    const paths = this.#paths(symbol, timeframe, options);
    assertFrame(frame);
    return seriesLocks.run(paths.csv, async () => {
      const existing = (await this.#read(paths))?.frame ?? BarFrame.empty();
      if (frame.length === 0) {
        return { ...describe(paths), path: paths.csv, rows: existing.length, added: 0, written: false };
      }
      const merged = existing.merge(frame);
      await this.#write(paths, merged);
      return {
        ...describe(paths),
        path: paths.csv,
        rows: merged.length,
        added: merged.length - existing.length,
        written: true,
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
    const summary = await this.#summary(paths);
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
    return seriesLocks.run(paths.csv, async () => {
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
    return resolveSeriesPaths(this.dataDir, symbol, timeframe, options.simulated === true);
  }

  /**
   * Reads through one open handle: the stamp and the bytes then belong to the same file even when
   * a writer renames a new one into place meanwhile, so a cache is never stamped with the wrong CSV.
   */
  async #read(paths: SeriesPaths): Promise<{ frame: BarFrame; fromCache: boolean } | undefined> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(paths.csv, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw ioError('read', paths.csv, error);
    }
    let frame: BarFrame;
    let stamp: CsvStamp;
    try {
      stamp = stampOf(await handle.stat());
      if (this.#cache) {
        const cached = await readColumnCache(paths.cache, stamp);
        if (cached !== undefined) return { frame: cached, fromCache: true };
      }
      const bytes = await handle.readFile();
      frame = parseBarsCsv(bytes, paths.csv);
    } catch (error) {
      throw isKtrdrError(error) ? error : ioError('read', paths.csv, error);
    } finally {
      await handle.close();
    }
    if (this.#cache) await this.#refreshCache(paths, frame, stamp);
    return { frame, fromCache: false };
  }

  async #summary(paths: SeriesPaths): Promise<{ rows: number; start?: number; end?: number } | undefined> {
    if (this.#cache) {
      try {
        const summary = await readCacheSummary(paths.cache, stampOf(await fsp.stat(paths.csv)));
        if (summary !== undefined)
          return { rows: summary.rows, start: summary.firstTime, end: summary.lastTime };
      } catch {
        return undefined; // the CSV is gone
      }
    }
    const read = await this.#read(paths);
    if (read === undefined) return undefined;
    return { rows: read.frame.length, start: read.frame.firstTime, end: read.frame.lastTime };
  }

  /** Caches `frame` if the CSV is still the one it was read from; a failed cache write only costs speed. */
  async #refreshCache(paths: SeriesPaths, frame: BarFrame, stamp: CsvStamp): Promise<void> {
    try {
      const now = stampOf(await fsp.stat(paths.csv));
      if (now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs || now.ino !== stamp.ino) return;
      await writeColumnCache(paths.cache, frame, stamp, this.#io);
    } catch {
      // e.g. a read-only data folder: loads still work, just without the cache.
    }
  }

  /** Caller holds the series lock. */
  async #write(paths: SeriesPaths, frame: BarFrame): Promise<void> {
    const bytes = formatBarsCsv(frame);
    try {
      await fsp.mkdir(paths.dir, { recursive: true });
      if (paths.simulated) await this.#ensureSimulatedMarker(paths.dir);
      await writeFileAtomic(paths.csv, bytes, { io: this.#io });
    } catch (error) {
      throw ioError('write', paths.csv, error);
    }
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
