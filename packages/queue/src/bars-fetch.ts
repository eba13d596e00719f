import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ServiceConnectionError,
  errorFromHttpStatus,
  errorFromJSON,
  isSerializedKtrdrError,
} from '@ktrdr/core';
import { CsvStore, type WireBar, fromWireBars, toEpochMs } from '@ktrdr/data';
import { bundledStrategiesDir, parseStrategy } from '@ktrdr/training';

/** Options of {@link createBarsFetch}. */
export interface BarsFetchOptions {
  /** The API's base URL, `.../api/v1`: bars come from its `GET /data/:symbol/:timeframe`. */
  apiUrl: string;
  /** The API's token (`KTRDR_API_TOKEN`), sent as a bearer token when set. */
  token?: string;
  /** This worker's data folder, where its training reads bars. */
  dataDir: string;
  /** Where `strategy_name` is looked up, as the worker's training does (default: the bundled ones). */
  strategiesDir?: string;
}

/** What {@link BarsFetch} copied of one series: `AAPL 1h` and how many bars it received. */
export interface FetchedSeries {
  series: string;
  bars: number;
}

/** Copies the bars a training request needs from the API into this worker's store. */
export type BarsFetch = (request: Record<string, unknown>, signal: AbortSignal) => Promise<FetchedSeries[]>;

function listOf(many: unknown, one: unknown): string[] | undefined {
  if (Array.isArray(many)) return many.map(String);
  return typeof one === 'string' ? [one] : undefined;
}

/** The series a training request trains on: as it names them, else as its strategy declares them. */
async function seriesOf(
  request: Record<string, unknown>,
  strategiesDir: string,
): Promise<{ symbols: readonly string[]; timeframes: readonly string[] }> {
  let symbols: readonly string[] | undefined = listOf(request['symbols'], request['symbol']);
  let timeframes: readonly string[] | undefined = listOf(request['timeframes'], request['timeframe']);
  if (symbols === undefined || timeframes === undefined) {
    const name = String(request['strategy_name'] ?? '').replace(/\.ya?ml$/, '');
    const yaml =
      typeof request['strategy_yaml'] === 'string'
        ? request['strategy_yaml']
        : // The contract allows a single safe path segment only: no name reaches outside the folder.
          await readFile(path.join(strategiesDir, `${name}.yaml`), 'utf8').catch(() => '');
    if (yaml === '') return { symbols: symbols ?? [], timeframes: timeframes ?? [] };
    const strategy = parseStrategy(yaml, `${name || 'strategy'}.yaml`);
    const declared = strategy.training_data ?? strategy.data;
    symbols ??= declared?.symbols ?? [];
    timeframes ??= declared?.timeframes ?? [];
  }
  return { symbols, timeframes };
}

/** An answer of `GET /data/:symbol/:timeframe`. */
interface BarsAnswer {
  simulated?: boolean;
  data?: WireBar[];
  error?: unknown;
}

const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * For a worker without the API's data folder: before a training job runs, the bars it trains on are
 * read from the API (`GET /data/:symbol/:timeframe`, real bars first, else simulated, labelled as
 * such) and merged into this worker's store, so the worker trains on the API's bars. Only what the
 * worker's copy lacks is asked for: a one-bar probe gives the API's label and last bar, then the
 * bars from the request's `start_date` to the copy's first bar, and from the copy's last bar to the
 * request's `end_date` (each absent when the copy already covers it). The copy stays one unbroken
 * stretch of the API's series (a range after it is fetched from its last bar on, not from
 * `start_date`), so a later training never finds a hole in it. A series the API does not have is
 * left to the training (which fails naming it, or loads it with `load_missing`). Resolves with the
 * series copied and how many bars each received.
 */
export function createBarsFetch(options: BarsFetchOptions): BarsFetch {
  const base = options.apiUrl.replace(/\/+$/, '');
  const store = new CsvStore({ dataDir: options.dataDir });
  const strategiesDir = options.strategiesDir ?? bundledStrategiesDir();
  const headers: Record<string, string> =
    options.token === undefined || options.token === '' ? {} : { authorization: `Bearer ${options.token}` };

  /** The API's bars of one series in `query`'s range; undefined when it has none stored. */
  const get = async (
    symbol: string,
    timeframe: string,
    query: Record<string, string | undefined>,
    signal: AbortSignal,
  ): Promise<BarsAnswer | undefined> => {
    const path = `/data/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}`;
    const search = new URLSearchParams(
      Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ).toString();
    let response: Response;
    try {
      response = await fetch(`${base}${path}${search === '' ? '' : `?${search}`}`, { headers, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ServiceConnectionError(
        `Cannot reach the API for the bars of ${symbol} ${timeframe}: ${(error as Error).message}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as BarsAnswer;
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw isSerializedKtrdrError(body.error)
        ? errorFromJSON(body.error, response.status)
        : errorFromHttpStatus(response.status, `GET ${path} answered ${response.status}`);
    }
    return body;
  };

  return async (request, signal) => {
    const { symbols, timeframes } = await seriesOf(request, strategiesDir);
    const from = typeof request['start_date'] === 'string' ? request['start_date'] : undefined;
    const to = typeof request['end_date'] === 'string' ? request['end_date'] : undefined;
    const fromMs = from === undefined ? undefined : toEpochMs(from, 'start_date');
    const toMs = to === undefined ? undefined : toEpochMs(to, 'end_date');
    const copied: FetchedSeries[] = [];
    for (const symbol of symbols) {
      for (const timeframe of timeframes) {
        const probe = await get(symbol, timeframe, { limit: '1' }, signal);
        const last = probe?.data?.[0];
        if (probe === undefined || last === undefined) continue;
        const simulated = probe.simulated === true;
        const local = await store.dateRange(symbol, timeframe, { simulated });
        const lastMs = toEpochMs(last.date, 'date');
        const ranges: { start?: string; end?: string }[] = [];
        if (local === undefined) ranges.push({ start: from, end: to });
        else {
          // Up to the copy's first bar: the API's `end`, like the training's, keeps bars before it.
          if (fromMs === undefined || fromMs < local.start)
            ranges.push({ start: from, end: isoOf(local.start) });
          if ((toMs === undefined || toMs > local.end) && lastMs > local.end) {
            // Just after the copy's last bar: the API's `start` keeps bars at or after it.
            ranges.push({ start: isoOf(local.end + 1), end: to });
          }
        }
        let bars = 0;
        for (const range of ranges) {
          const answer = await get(symbol, timeframe, range, signal);
          if (answer?.data === undefined || answer.data.length === 0) continue;
          await store.mergeAndSave(symbol, timeframe, fromWireBars(answer.data), { simulated });
          bars += answer.data.length;
        }
        copied.push({ series: `${symbol} ${timeframe}`, bars });
      }
    }
    return copied;
  };
}
