import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ServiceConnectionError,
  errorFromHttpStatus,
  errorFromJSON,
  isSerializedKtrdrError,
} from '@ktrdr/core';
import { CsvStore, type WireBar, fromWireBars } from '@ktrdr/data';
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

/** Copies the bars a training request needs from the API into this worker's store. */
export type BarsFetch = (request: Record<string, unknown>, signal: AbortSignal) => Promise<string[]>;

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

/**
 * For a worker without the API's data folder: before a training job runs, each series it trains on
 * is read from the API (`GET /data/:symbol/:timeframe`, real bars first, else simulated, labelled as
 * such) and merged into this worker's store, so the worker trains on the API's bars. A series the
 * API does not have is left to the training (which fails naming it, or loads it with
 * `load_missing`). Resolves with the series copied, as `SYMBOL timeframe`.
 */
export function createBarsFetch(options: BarsFetchOptions): BarsFetch {
  const base = options.apiUrl.replace(/\/+$/, '');
  const store = new CsvStore({ dataDir: options.dataDir });
  const strategiesDir = options.strategiesDir ?? bundledStrategiesDir();
  const headers: Record<string, string> =
    options.token === undefined || options.token === '' ? {} : { authorization: `Bearer ${options.token}` };
  return async (request, signal) => {
    const { symbols, timeframes } = await seriesOf(request, strategiesDir);
    const copied: string[] = [];
    for (const symbol of symbols) {
      for (const timeframe of timeframes) {
        const url = `${base}/data/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}`;
        let response: Response;
        try {
          response = await fetch(url, { headers, signal });
        } catch (error) {
          if (signal.aborted) throw error;
          throw new ServiceConnectionError(
            `Cannot reach the API for the bars of ${symbol} ${timeframe}: ${(error as Error).message}`,
          );
        }
        const body = (await response.json().catch(() => ({}))) as {
          simulated?: boolean;
          data?: WireBar[];
          error?: unknown;
        };
        if (response.status === 404) continue;
        if (!response.ok) {
          throw isSerializedKtrdrError(body.error)
            ? errorFromJSON(body.error, response.status)
            : errorFromHttpStatus(
                response.status,
                `GET /data/${symbol}/${timeframe} answered ${response.status}`,
              );
        }
        if (body.data === undefined || body.data.length === 0) continue;
        await store.mergeAndSave(symbol, timeframe, fromWireBars(body.data), {
          simulated: body.simulated === true,
        });
        copied.push(`${symbol} ${timeframe}`);
      }
    }
    return copied;
  };
}
