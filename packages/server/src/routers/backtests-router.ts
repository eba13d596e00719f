import type { OperationRegistry, ServiceImplementation } from '@ktrdr/core';
import { type BacktestService, createBacktestApiService } from '@ktrdr/backtest';
import { createBacktestService } from '@ktrdr/client/services';
import type { DataService } from '@ktrdr/data';

/** Options of {@link backtestsApi}. */
export interface BacktestsApiOptions {
  /** The backtest path to serve; omitted, one is built over `data` (and closed with the router). */
  backtests?: BacktestService;
  data: DataService;
  operations: OperationRegistry;
  /** False serves no backtest routes (an API without training has no models to backtest). */
  enabled: boolean;
}

/**
 * The backend API's backtest routes (`POST /backtests` starts an operation, `GET /backtests`,
 * `GET /backtests/:backtest_id`), as services for the API router to serve and document in its
 * OpenAPI document, and what closing them takes.
 */
export function backtestsApi(options: BacktestsApiOptions): {
  services: ServiceImplementation[];
  close(): Promise<void>;
} {
  if (!options.enabled) return { services: [], close: () => Promise.resolve() };
  const built =
    options.backtests === undefined ? createBacktestService(options.data, options.operations) : undefined;
  const backtests = options.backtests ?? built!;
  return {
    services: [createBacktestApiService(backtests)],
    close: () => built?.close() ?? Promise.resolve(),
  };
}
