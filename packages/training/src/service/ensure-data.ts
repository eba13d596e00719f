import { DataUnavailableError, NotFoundError } from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';

/** Range and cancellation of {@link loadMissingData}. */
export interface LoadMissingOptions {
  start?: string | undefined;
  end?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Loads (through the data service, as `ktrdr data load` would) every series of `symbols` x
 * `timeframes` that is not stored yet; series already stored are left alone. Returns the series it
 * loaded, as `SYMBOL timeframe`.
 * @throws DataUnavailableError when a load leaves failed segments (nothing is trained or predicted
 *   on bars with holes that nobody was told about).
 */
export async function loadMissingData(
  data: DataService,
  symbols: readonly string[],
  timeframes: readonly string[],
  options: LoadMissingOptions = {},
): Promise<string[]> {
  const loaded: string[] = [];
  for (const symbol of symbols) {
    for (const timeframe of timeframes) {
      options.signal?.throwIfAborted();
      const stored = await data.loadCachedData(symbol, timeframe).then(
        () => true,
        (error: unknown) => {
          if (error instanceof NotFoundError) return false;
          throw error;
        },
      );
      if (stored) continue;
      const handle = await data.loadData({
        symbol,
        timeframe,
        mode: 'full',
        start: options.start,
        end: options.end,
        signal: options.signal,
      });
      const result = await handle.result();
      if (result.failedSegments.length > 0) {
        throw new DataUnavailableError(
          `Loading ${symbol} ${timeframe} left ${result.failedSegments.length} segment(s) unfetched (first: ${result.failedSegments[0]!.error}); retry the load with 'ktrdr data load'`,
          { details: { symbol, timeframe, failed_segments: result.failedSegments.length } },
        );
      }
      loaded.push(`${symbol} ${timeframe}`);
    }
  }
  return loaded;
}
