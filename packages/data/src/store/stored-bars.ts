import { NotFoundError } from '@ktrdr/core/errors';
import { type DateInput, toEpochMs } from '../domain/dates';
import { parseSymbol } from '../domain/symbols';
import { type Timeframe, parseTimeframe } from '../domain/timeframes';
import { type WireBar, toWireBars, wireBarsJson } from '../host-service/wire-bars';
import type { CsvStore, LoadedSeries } from './csv-store';
import { formatBarsCsv } from './csv-format';
import type { TornRowWarning } from './store-warning';

/** Which stored bars to read. */
export interface StoredBarsQuery {
  symbol: string;
  timeframe: string;
  /** First bar time, inclusive. */
  start?: DateInput | undefined;
  /** Last bar time, inclusive. */
  end?: DateInput | undefined;
  /** Only the last `limit` bars of the range. */
  limit?: number | undefined;
}

/** Stored bars as the data API answers `GET /data/:symbol/:timeframe`. */
export interface StoredBarsAnswer {
  success: true;
  symbol: string;
  timeframe: Timeframe;
  /** True when the bars are synthetic (from the IB simulator), never real market data. */
  simulated: boolean;
  rows: number;
  data: WireBar[];
  /**
   * What the read worked around (a torn last row left out), present only when something was; no
   * absolute path, so the answer can go over HTTP as is.
   */
  warnings?: StoredBarsWarning[];
}

/** A {@link StoreWarning} as {@link StoredBarsAnswer} carries it. */
export type StoredBarsWarning = Pick<TornRowWarning, 'code' | 'file' | 'line' | 'message'>;

/**
 * Reads a stored series without fetching: the real series first, the simulated one when no real
 * series exists (the result says which). Throws `NotFoundError` when neither is stored.
 */
export async function readStoredSeries(
  store: CsvStore,
  query: Omit<StoredBarsQuery, 'limit'>,
): Promise<LoadedSeries> {
  const symbol = parseSymbol(query.symbol);
  const timeframe = parseTimeframe(query.timeframe);
  const range = {
    start: query.start === undefined ? undefined : toEpochMs(query.start, 'start'),
    end: query.end === undefined ? undefined : toEpochMs(query.end, 'end'),
  };
  const loaded =
    (await store.loadIfExists(symbol, timeframe, { ...range, simulated: false })) ??
    (await store.loadIfExists(symbol, timeframe, { ...range, simulated: true }));
  if (loaded === undefined) throw notStored(store, symbol, timeframe);
  return loaded;
}

/**
 * The stored bars a query selects (real series first, then simulated, as {@link readStoredSeries}):
 * `frame` is already cut to `limit`. A query with only a limit reads just the series' tail.
 */
export async function selectStoredBars(store: CsvStore, query: StoredBarsQuery): Promise<LoadedSeries> {
  if (query.limit === undefined || query.start !== undefined || query.end !== undefined) {
    const loaded = await readStoredSeries(store, query);
    return query.limit === undefined ? loaded : { ...loaded, frame: loaded.frame.tail(query.limit) };
  }
  const symbol = parseSymbol(query.symbol);
  const timeframe = parseTimeframe(query.timeframe);
  const loaded =
    (await store.loadTailIfExists(symbol, timeframe, query.limit, { simulated: false })) ??
    (await store.loadTailIfExists(symbol, timeframe, query.limit, { simulated: true }));
  if (loaded === undefined) throw notStored(store, symbol, timeframe);
  return loaded;
}

/**
 * Stored bars in the data API's answer shape. The API's route and the CLI's embedded `data show`
 * both answer through this, the CLI without loading the service stack (zod, the IB client).
 */
export async function readStoredBars(store: CsvStore, query: StoredBarsQuery): Promise<StoredBarsAnswer> {
  const loaded = await selectStoredBars(store, query);
  const data = toWireBars(loaded.frame);
  const warnings = answerWarnings(loaded);
  return {
    success: true,
    symbol: loaded.symbol,
    timeframe: loaded.timeframe,
    simulated: loaded.simulated,
    rows: data.length,
    data,
    ...(warnings === undefined ? {} : { warnings }),
  };
}

/**
 * {@link readStoredBars}' answer as its JSON text, byte for byte what `JSON.stringify` gives for
 * it, written straight from the columns without an object per bar.
 * @throws ValidationError when a value has no JSON form (a non-finite price): such a series must
 * take the validated path, which reports it.
 */
export async function readStoredBarsJson(store: CsvStore, query: StoredBarsQuery): Promise<string> {
  return answerJson(await selectStoredBars(store, query));
}

/** How {@link renderStoredBars} writes bars: the data API's JSON answer, or the store's CSV layout. */
export type StoredBarsFormat = 'json' | 'csv';

/** Stored bars as an answer's bytes, with the series they came from. */
export interface RenderedStoredBars {
  series: LoadedSeries;
  /** {@link readStoredBarsJson}'s text as UTF-8, or {@link formatBarsCsv}'s bytes. Do not modify. */
  bytes: Uint8Array;
}

/**
 * The stored bars a query selects, as bytes ready to send (the API's hot path). A query for the
 * last bars alone is answered from the store's memory while the series is unchanged: its bytes are
 * rendered once per version of the file and format, and leave memory with that version.
 * @throws NotFoundError and ValidationError as {@link selectStoredBars}; ValidationError for JSON
 * when a value has no JSON form.
 */
export async function renderStoredBars(
  store: CsvStore,
  query: StoredBarsQuery,
  format: StoredBarsFormat,
): Promise<RenderedStoredBars> {
  const series = await selectStoredBars(store, query);
  const tailOnly = query.start === undefined && query.end === undefined && query.limit !== undefined;
  const memo = tailOnly && series.warnings.length === 0 ? series.memo : undefined;
  const key = `bars.${format}:last:${query.limit}`;
  const kept = memo?.get(key);
  if (kept !== undefined) return { series, bytes: kept };
  const bytes = format === 'json' ? Buffer.from(answerJson(series), 'utf8') : formatBarsCsv(series.frame);
  memo?.set(key, bytes);
  return { series, bytes };
}

function answerJson(loaded: LoadedSeries): string {
  const warnings = answerWarnings(loaded);
  return (
    `{"success":true,"symbol":${JSON.stringify(loaded.symbol)},"timeframe":${JSON.stringify(loaded.timeframe)},` +
    `"simulated":${loaded.simulated},"rows":${loaded.frame.length},"data":${wireBarsJson(loaded.frame)}` +
    `${warnings === undefined ? '' : `,"warnings":${JSON.stringify(warnings)}`}}`
  );
}

function answerWarnings(loaded: LoadedSeries): StoredBarsWarning[] | undefined {
  return loaded.warnings.length === 0
    ? undefined
    : loaded.warnings.map(({ code, file, line, message }) => ({ code, file, line, message }));
}

function notStored(store: CsvStore, symbol: string, timeframe: Timeframe): NotFoundError {
  return new NotFoundError(`No ${timeframe} data stored for ${symbol} in ${store.dataDir}: load it first.`, {
    details: { symbol, timeframe },
  });
}
