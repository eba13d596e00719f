import type { Router } from 'express';
import type { OperationRegistry, ServiceImplementation } from '@ktrdr/core';
import { type BacktestService, createBacktestApiService, createBacktestImportService } from '@ktrdr/backtest';
import { createBacktestService } from '@ktrdr/client/services';
import type { DataService } from '@ktrdr/data';
import { serviceMiddleware } from '../http/service-middleware';

/**
 * Largest backtest a queue worker may hand back (`POST /backtests/import`), bytes: its equity curve
 * has one line per bar, about 9 MB for a year of minute bars.
 */
const BACKTEST_IMPORT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/** Options of {@link backtestsApi}. */
export interface BacktestsApiOptions {
  /** The backtest path to serve; omitted, one is built over `data` (and closed with the router). */
  backtests?: BacktestService;
  /** With a queue (`ApiQueue.backtestStartService`): `POST /backtests` enqueues instead of running here. */
  queueStart?: ServiceImplementation;
  data: DataService;
  operations: OperationRegistry;
  /** False serves no backtest routes (an API without training has no models to backtest). */
  enabled: boolean;
}

/**
 * The backend API's backtest routes (`POST /backtests` starts an operation, `GET /backtests`,
 * `GET /backtests/:backtest_id`, `POST /backtests/import` for queue workers), as services for the
 * API router to document in its OpenAPI document, how to mount them, the backtest path (for
 * `/health`), and what closing them takes.
 */
export function backtestsApi(options: BacktestsApiOptions): {
  services: ServiceImplementation[];
  mount(router: Router, limits: { bodyLimitBytes?: number }): void;
  backtests?: BacktestService;
  close(): Promise<void>;
} {
  if (!options.enabled) return { services: [], mount: () => {}, close: () => Promise.resolve() };
  const built =
    options.backtests === undefined ? createBacktestService(options.data, options.operations) : undefined;
  const backtests = options.backtests ?? built!;
  const api = createBacktestApiService(backtests);
  const importService = createBacktestImportService(backtests);
  return {
    services: [...(options.queueStart === undefined ? [] : [options.queueStart]), api, importService],
    mount(router, limits) {
      // By method and path: a service answers every method of a path it owns, and the queued start
      // owns only `POST /backtests` (the API's own service still lists and shows).
      if (options.queueStart !== undefined) {
        router.post('/backtests', serviceMiddleware(options.queueStart, limits));
      }
      router.post(
        '/backtests/import',
        serviceMiddleware(importService, {
          bodyLimitBytes: Math.max(limits.bodyLimitBytes ?? 0, BACKTEST_IMPORT_BODY_LIMIT_BYTES),
        }),
      );
      router.use(serviceMiddleware(api, limits));
    },
    backtests,
    close: () => built?.close() ?? Promise.resolve(),
  };
}
