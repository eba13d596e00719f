import { ValidationError } from '@ktrdr/core/errors';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type * as Arquero from 'arquero';
import {
  type BarDisplayOptions,
  type BarFrameInfo,
  barFrameHtml,
  barFrameText,
  barFrameTitle,
} from './bar-frame-display';
import { type Bar, type BarColumns, type BarColumnsInput, BAR_FIELDS } from './bars';
import { formatIsoUtc } from './dates';
import { lowerBound } from './lower-bound';

type ColumnTable = ReturnType<typeof Arquero.table>;

/**
 * The key by which notebook kernels that follow the Jupyter display convention (Deno's) ask an
 * object for its MIME bundle.
 */
const JUPYTER_DISPLAY = Symbol.for('Jupyter.display');

/** A bar as {@link BarFrame.toJSON} writes it: the data API's shape, the time as an ISO UTC date. */
export type BarJson = {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
};

/** What `JSON.stringify(frame)` writes: what the frame knows of its series, then its bars. */
export type BarFrameJson = BarFrameInfo & { bars: BarJson[] };

let arquero: typeof Arquero | undefined;

/**
 * arquero is the heaviest import of the package (about 100 ms) and only `toTable` needs it, so it
 * loads on first use: a CLI command that never builds a table never pays for it.
 */
function loadArquero(): typeof Arquero {
  arquero ??= createRequire(import.meta.url)('arquero') as typeof Arquero;
  return arquero;
}

/**
 * An immutable OHLCV series: bars sorted by strictly increasing UTC start time, no duplicates.
 *
 * The data lives in six `Float64Array`s ({@link BarFrame.columns}) so numeric code runs on typed
 * arrays; {@link BarFrame.toTable} exposes the same columns as an arquero table for users who want
 * a table API. Slices share memory with their source, so slicing is O(log n). Treat the arrays as
 * read-only: frames never copy them defensively.
 *
 * A frame read through `DataService` also knows its series ({@link BarFrame.info}: symbol,
 * timeframe, simulated or real), which every display of it shows: `console.log(frame)` and notebooks
 * print a head/tail table titled `AAPL 1h, 120 bars, SIMULATED, ...`; {@link BarFrame.toHTML} and
 * the Jupyter display bundle give the same as an HTML table; `JSON.stringify(frame)` writes
 * {@link BarFrameJson}.
 */
export class BarFrame {
  readonly #columns: BarColumns;
  readonly #info: BarFrameInfo | undefined;
  #table: ColumnTable | undefined;

  private constructor(columns: BarColumns, info?: BarFrameInfo) {
    this.#columns = columns;
    this.#info = info;
  }

  /** A frame with no bars. */
  static empty(): BarFrame {
    return new BarFrame(emptyColumns());
  }

  /**
   * Builds a frame from parallel columns. `Float64Array` inputs are adopted without copying (do not
   * modify them afterwards); other array-likes are copied. Unsorted input is sorted by time, and when
   * a time repeats the later row wins (the same rule as {@link BarFrame.merge}).
   * @throws ValidationError (`details.field = 'columns'` or `'time'`) on missing columns, unequal
   * lengths or non-finite times.
   */
  static fromColumns(input: BarColumnsInput): BarFrame {
    const length = input.time?.length;
    const columns = {} as BarColumns;
    for (const field of BAR_FIELDS) {
      const values = input[field];
      if (values === undefined || values === null || typeof values.length !== 'number') {
        throw new ValidationError(
          `Bar columns lack '${field}': pass time, open, high, low, close and volume.`,
          {
            details: { field: 'columns', missing: field },
          },
        );
      }
      if (values.length !== length) {
        throw new ValidationError(
          `Bar column '${field}' has ${values.length} values but 'time' has ${length}: columns must be equally long.`,
          { details: { field: 'columns', column: field } },
        );
      }
      columns[field] = values instanceof Float64Array ? values : Float64Array.from(values);
    }
    return new BarFrame(normalise(columns));
  }

  /**
   * Adopts columns that must already be strictly ascending in time, without sorting: for trusted
   * sources (the column cache) where out-of-order data means corruption, not a different order.
   * @throws ValidationError (`details.field = 'time'`) when times are not finite and strictly ascending.
   */
  static fromSortedColumns(columns: BarColumns): BarFrame {
    const length = columns.time.length;
    for (const field of BAR_FIELDS) {
      if (!(columns[field] instanceof Float64Array) || columns[field].length !== length) {
        throw new ValidationError(`Bar column '${field}' must be a Float64Array of ${length} values.`, {
          details: { field: 'columns', column: field },
        });
      }
    }
    const time = columns.time;
    for (let i = 0; i < length; i++) {
      const t = time[i] as number;
      if (!Number.isFinite(t) || (i > 0 && !(t > (time[i - 1] as number)))) {
        throw new ValidationError(`Bar times are not strictly ascending at index ${i}.`, {
          details: { field: 'time', index: i },
        });
      }
    }
    return new BarFrame(columns);
  }

  /** Builds a frame from bar objects (any order; on a repeated time the later row wins). */
  static fromRows(rows: readonly Bar[]): BarFrame {
    const n = rows.length;
    const columns = allocateColumns(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as Bar;
      columns.time[i] = row.time;
      columns.open[i] = row.open;
      columns.high[i] = row.high;
      columns.low[i] = row.low;
      columns.close[i] = row.close;
      columns.volume[i] = row.volume;
    }
    return new BarFrame(normalise(columns));
  }

  /**
   * Builds a frame from an arquero table with columns `open, high, low, close, volume` and a time
   * column named `time` (epoch ms or `Date`) or `date` (`Date`, epoch ms or ISO string).
   * @throws ValidationError when a column is missing or a time cannot be read.
   */
  static fromTable(table: ColumnTable): BarFrame {
    const names = table.columnNames();
    const timeName = names.includes('time') ? 'time' : names.includes('date') ? 'date' : undefined;
    if (timeName === undefined) {
      throw new ValidationError("Table has no 'time' or 'date' column.", {
        details: { field: 'columns', missing: 'time' },
      });
    }
    const rawTimes = table.array(timeName) as ArrayLike<unknown>;
    const time = new Float64Array(rawTimes.length);
    for (let i = 0; i < rawTimes.length; i++) {
      const value = rawTimes[i];
      time[i] =
        value instanceof Date
          ? value.getTime()
          : typeof value === 'string'
            ? Date.parse(value)
            : Number(value);
    }
    const column = (name: string): ArrayLike<number> => {
      if (!names.includes(name)) {
        throw new ValidationError(`Table has no '${name}' column.`, {
          details: { field: 'columns', missing: name },
        });
      }
      return table.array(name, Float64Array) as Float64Array;
    };
    return BarFrame.fromColumns({
      time,
      open: column('open'),
      high: column('high'),
      low: column('low'),
      close: column('close'),
      volume: column('volume'),
    });
  }

  /** The series this frame holds and whether it is simulated, when known (see {@link BarFrame.withInfo}). */
  get info(): BarFrameInfo | undefined {
    return this.#info;
  }

  /**
   * The same bars (shared, not copied) labelled with `info`: the symbol, timeframe and whether they
   * are simulated, shown by every display of the frame and kept by its slices and merges.
   */
  withInfo(info: BarFrameInfo): BarFrame {
    const frame = new BarFrame(this.#columns, { ...info });
    frame.#table = this.#table;
    return frame;
  }

  /** Number of bars. */
  get length(): number {
    return this.#columns.time.length;
  }

  /** Start time (epoch ms) of the first bar, `undefined` when empty. */
  get firstTime(): number | undefined {
    return this.#columns.time[0];
  }

  /** Start time (epoch ms) of the last bar, `undefined` when empty. */
  get lastTime(): number | undefined {
    return this.#columns.time[this.#columns.time.length - 1];
  }

  /** The typed columns themselves (not copies): read, do not write. */
  columns(): BarColumns {
    return this.#columns;
  }

  /** The bar at `index` (negative counts from the end), `undefined` when out of range. */
  at(index: number): Bar | undefined {
    const i = index < 0 ? this.length + index : index;
    if (i < 0 || i >= this.length) return undefined;
    const c = this.#columns;
    return {
      time: c.time[i] as number,
      open: c.open[i] as number,
      high: c.high[i] as number,
      low: c.low[i] as number,
      close: c.close[i] as number,
      volume: c.volume[i] as number,
    };
  }

  /** All bars as objects (allocates one object per bar; prefer {@link BarFrame.columns} for numeric work). */
  toRows(): Bar[] {
    const rows: Bar[] = new Array<Bar>(this.length);
    for (let i = 0; i < this.length; i++) rows[i] = this.at(i) as Bar;
    return rows;
  }

  /** The columns as an arquero table (`time` in epoch ms), built once and shared. */
  toTable(): ColumnTable {
    this.#table ??= loadArquero().table({ ...this.#columns });
    return this.#table;
  }

  /** The frame as JSON: its {@link BarFrame.info} and every bar with an ISO UTC `date` (as the data API answers). */
  toJSON(): BarFrameJson {
    const c = this.#columns;
    const bars: BarJson[] = new Array<BarJson>(this.length);
    for (let i = 0; i < this.length; i++) {
      bars[i] = {
        date: formatIsoUtc(c.time[i] as number),
        open: c.open[i] as number,
        high: c.high[i] as number,
        low: c.low[i] as number,
        close: c.close[i] as number,
        volume: c.volume[i] as number,
      };
    }
    return { ...this.#info, bars };
  }

  /** The first and last rows as text with the frame's title (what `console.log(frame)` prints). */
  toString(options?: BarDisplayOptions): string {
    return barFrameText(this, options);
  }

  /** The first and last rows as an HTML table titled with the frame's series, SIMULATED stressed. */
  toHTML(options?: BarDisplayOptions): string {
    return barFrameHtml(this, options);
  }

  /** `util.inspect` (console.log, the REPL, tslab): the head/tail table; a one-line title when nested deeper than allowed. */
  [inspect.custom](depth: number): string {
    return depth < 0 ? `[BarFrame ${barFrameTitle(this)}]` : barFrameText(this);
  }

  /** The MIME bundle notebook kernels display (Deno's Jupyter kernel asks for it by this key). */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { 'text/plain': barFrameText(this), 'text/html': barFrameHtml(this) };
  }

  /** Index of the first bar whose time is `>= ms` (`length` when none). */
  indexAtOrAfter(ms: number): number {
    return lowerBound(this.#columns.time, ms);
  }

  /** Bars with `startMs <= time < endMs`, sharing memory with this frame. */
  slice(startMs: number, endMs: number = Number.POSITIVE_INFINITY): BarFrame {
    return this.sliceIndex(this.indexAtOrAfter(startMs), this.indexAtOrAfter(endMs));
  }

  /** The last `n` bars (all when `n >= length`). */
  tail(n: number): BarFrame {
    return this.sliceIndex(Math.max(0, this.length - Math.max(0, Math.floor(n))), this.length);
  }

  /** The first `n` bars. */
  head(n: number): BarFrame {
    return this.sliceIndex(0, Math.min(this.length, Math.max(0, Math.floor(n))));
  }

  /**
   * The union of both series, sorted and de-duplicated by time. Where both hold a bar at the same
   * time, `newer` (the argument) wins: freshly fetched bars replace stored ones.
   */
  merge(newer: BarFrame): BarFrame {
    if (newer.length === 0) return this;
    // The merged frame keeps this frame's info, else the newer one's.
    const info = this.#info ?? newer.#info;
    if (this.length === 0) return info === newer.#info ? newer : newer.withInfo(info as BarFrameInfo);
    const a = this.#columns;
    const b = newer.#columns;
    // Appending (tail loads) and prepending (backfills) are the common cases: plain concatenation.
    if ((this.lastTime as number) < (newer.firstTime as number))
      return new BarFrame(concatColumns(a, b), info);
    if ((newer.lastTime as number) < (this.firstTime as number))
      return new BarFrame(concatColumns(b, a), info);
    return new BarFrame(mergeOverlapping(a, b), info);
  }

  private sliceIndex(start: number, end: number): BarFrame {
    if (start === 0 && end === this.length) return this;
    const c = this.#columns;
    return new BarFrame(
      {
        time: c.time.subarray(start, end),
        open: c.open.subarray(start, end),
        high: c.high.subarray(start, end),
        low: c.low.subarray(start, end),
        close: c.close.subarray(start, end),
        volume: c.volume.subarray(start, end),
      },
      this.#info,
    );
  }
}

function emptyColumns(): BarColumns {
  return allocateColumns(0);
}

function allocateColumns(n: number): BarColumns {
  return {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/** Checks times are finite, then sorts and de-duplicates only when the input needs it. */
function normalise(columns: BarColumns): BarColumns {
  const time = columns.time;
  let sorted = true;
  for (let i = 0; i < time.length; i++) {
    const t = time[i] as number;
    if (!Number.isFinite(t)) {
      throw new ValidationError(`Bar ${i} has an invalid time (${t}): times are UTC epoch milliseconds.`, {
        details: { field: 'time', index: i },
      });
    }
    if (i > 0 && t <= (time[i - 1] as number)) sorted = false;
  }
  return sorted ? columns : sortUnique(columns);
}

/** Stable sort by time; among equal times the last row is kept. */
function sortUnique(columns: BarColumns): BarColumns {
  const time = columns.time;
  const order = Array.from({ length: time.length }, (_, i) => i);
  order.sort((x, y) => (time[x] as number) - (time[y] as number) || x - y);
  const keep: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const next = order[k + 1];
    const current = order[k] as number;
    if (next === undefined || time[next] !== time[current]) keep.push(current);
  }
  const out = allocateColumns(keep.length);
  for (const field of BAR_FIELDS) {
    const src = columns[field];
    const dst = out[field];
    for (let k = 0; k < keep.length; k++) dst[k] = src[keep[k] as number] as number;
  }
  return out;
}

function concatColumns(first: BarColumns, second: BarColumns): BarColumns {
  const out = allocateColumns(first.time.length + second.time.length);
  for (const field of BAR_FIELDS) {
    out[field].set(first[field], 0);
    out[field].set(second[field], first.time.length);
  }
  return out;
}

/** Two-pointer merge of sorted unique series; `b` wins on equal times. */
function mergeOverlapping(a: BarColumns, b: BarColumns): BarColumns {
  const ta = a.time;
  const tb = b.time;
  // First pass counts the output so every column is allocated once at its final size.
  let count = 0;
  for (let i = 0, j = 0; i < ta.length || j < tb.length; count++) {
    if (j >= tb.length || (i < ta.length && (ta[i] as number) < (tb[j] as number))) i++;
    else if (i >= ta.length || (tb[j] as number) < (ta[i] as number)) j++;
    else {
      i++;
      j++;
    }
  }
  const out = allocateColumns(count);
  for (let i = 0, j = 0, k = 0; k < count; k++) {
    let src: BarColumns;
    let index: number;
    if (j >= tb.length || (i < ta.length && (ta[i] as number) < (tb[j] as number))) {
      src = a;
      index = i++;
    } else {
      if (i < ta.length && ta[i] === tb[j]) i++; // the stored bar at this time is replaced
      src = b;
      index = j++;
    }
    out.time[k] = src.time[index] as number;
    out.open[k] = src.open[index] as number;
    out.high[k] = src.high[index] as number;
    out.low[k] = src.low[index] as number;
    out.close[k] = src.close[index] as number;
    out.volume[k] = src.volume[index] as number;
  }
  return out;
}
