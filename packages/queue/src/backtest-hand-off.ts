import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ServiceConnectionError, ValidationError } from '@ktrdr/core';
import { postToApi } from './api-post';

/** Options of {@link createBacktestHandOff}. */
export interface BacktestHandOffOptions {
  /** The API's base URL, `.../api/v1`: the backtest goes to its `POST /backtests/import`. */
  apiUrl: string;
  /** The API's token (`KTRDR_API_TOKEN`), sent as a bearer token when set. */
  token?: string;
  /** This worker's backtests folder (`backtests` beside its models folder), where its backtest was stored. */
  backtestsDir: string;
}

/** Gives a finished backtest's summary, and gives back the summary the API stored. */
export type BacktestHandOff = (summary: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * The files a stored backtest is handed back with: `@ktrdr/backtest`'s `BACKTEST_BUNDLE_FILES`
 * (named here, as this package does not depend on that one; the queued backtest tests check both
 * ends agree). The CSV of trades and the simulated marker are written again from these by the API.
 */
const BUNDLE_FILES = ['metrics.json', 'trades.json', 'equity.csv'] as const;

/** Same pattern as `@ktrdr/backtest`'s backtest ids: no separator, so no id names a path outside the folder. */
const BACKTEST_ID = /^bt_\d{8}_\d{6}_[0-9a-f]{8}$/;

/**
 * For a worker without the API's backtests folder: sends a finished backtest's files
 * (`metrics.json`, `trades.json`, `equity.csv`) to the API's `POST /backtests/import`, which stores
 * them under the same id, so `GET /backtests/:id` and `ktrdr backtest show` find it there. The
 * worker keeps its own copy. A refused or failed hand-off fails the job with the API's error,
 * saying where the backtest was kept: the result is not lost silently.
 */
export function createBacktestHandOff(options: BacktestHandOffOptions): BacktestHandOff {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/backtests/import`;
  return async (summary) => {
    const id = summary['backtest_id'];
    if (typeof id !== 'string' || !BACKTEST_ID.test(id)) {
      throw new ValidationError(`The backtest's summary names no valid backtest id (${String(id)})`);
    }
    const kept = `the backtest is kept on this worker as ${id}`;
    const files = Object.fromEntries(
      await Promise.all(
        BUNDLE_FILES.map(
          async (name) => [name, await readFile(path.join(options.backtestsDir, id, name), 'utf8')] as const,
        ),
      ),
    );
    const stored = await postToApi(url, options.token, { backtest_id: id, files }, 'backtest', kept);
    if (stored['backtest_id'] !== id) {
      throw new ServiceConnectionError(`POST /backtests/import answered another backtest; ${kept}`);
    }
    return summary;
  };
}
