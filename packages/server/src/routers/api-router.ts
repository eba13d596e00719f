import { Router } from 'express';
import { type KtrdrConfig, type OperationRegistry, createOperationsService } from '@ktrdr/core';
import { type DataService, createDataApiService } from '@ktrdr/data';
import { type TrainingService, bundledStrategiesDir, createTrainingApiService } from '@ktrdr/training';
import type { BacktestService } from '@ktrdr/backtest';
import { barsCsvHandler } from '../api/bars-csv-route';
import { barsJsonHandler } from '../api/bars-json-route';
import { healthRoute } from '../api/health-route';
import { operationEventsRoute } from '../api/operation-events-route';
import { queueOperationEventsRoute } from '../api/queue-operation-events-route';
import { workersRoute } from '../api/workers-route';
import { createBearerAuth } from '../auth/bearer-auth';
import { type HotRoute, attachHotRoutes, expressHandler } from '../http/hot-lane';
import { jsonErrorHandler, jsonNotFoundHandler } from '../http/json-errors';
import { redactAnswers } from '../http/redact-answers';
import { type ServerFolder, createPathRedactor } from '../http/redact-paths';
import { serviceMiddleware } from '../http/service-middleware';
import { apiHandWrittenRoutes } from '../openapi/api-hand-written-routes';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { openApiRoute } from '../openapi/openapi-route';
import { SERVER_VERSION } from '../openapi/server-version';
import { createApiServices } from '@ktrdr/client/services';
import type { ApiQueue } from '@ktrdr/queue';
import { backtestsApi } from './backtests-router';
import {
  type KtrdrRouter,
  type RouterLoggingOptions,
  type RouterSecurityOptions,
  withClose,
} from './router-options';

/** Options of {@link createApiRouter}. */
export interface ApiRouterOptions extends RouterSecurityOptions, RouterLoggingOptions {
  /**
   * The data path. Omitted, the router builds the data and training services from the
   * configuration (`createApiServices`) and releases them on `close()`.
   */
  data?: DataService;
  /** The training path; omitted while `data` is given, the API serves data and operations only. */
  training?: TrainingService;
  /** The backtest path (default: the built services', else one over `data` when training is served). */
  backtests?: BacktestService;
  /** Registry listed and cancelled by `/operations` (default: the data service's). */
  operations?: OperationRegistry;
  /** Configuration for the default services (default `loadConfig()`). */
  config?: KtrdrConfig;
  /** Folder `POST /trainings/start` looks `strategy_name` up in (default: the bundled strategies). */
  strategiesDir?: string;
  /** Longest wait for one component's health, ms (default 5 s). */
  healthTimeoutMs?: number;
  /** Keep-alive interval of the progress stream, ms (default 15 s). */
  eventsHeartbeatMs?: number;
  /**
   * Operations as BullMQ jobs (`KTRDR_REDIS_URL`, from `openApiQueue` of `@ktrdr/queue`): loads,
   * trainings and backtests are enqueued for `ktrdr worker`s, `/operations` reads Redis, `/workers`
   * lists the workers and `/health` shows queue depths. The caller closes it.
   */
  queue?: ApiQueue;
}

/**
 * The ktrdr backend API as an Express router, conventionally mounted at `/api/v1`:
 *
 * - `GET /health`: the API and its data and training paths
 * - `GET /symbols`, `GET /timeframes`, `GET /data/:symbol/:timeframe` (JSON, or CSV with
 *   `?format=csv`), `POST /data/load` (starts an operation), `POST /data/range`
 * - `GET /workers` (the queue's workers; empty without `queue`)
 * - `GET /operations`, `GET /operations/:id`, `DELETE /operations/:id`, `POST /operations/:id/cancel`,
 *   `GET /operations/:id/wait`, and `GET /operations/:id/events` (server-sent events)
 * - with training: `POST /trainings/start` (starts an operation), `GET /models`,
 *   `GET /models/:strategy/:model`, `POST /models/predict`, `POST /models/import`, and
 *   `GET /indicators/:symbol/:timeframe?strategy=NAME` (a strategy's indicator values, as columns)
 * - with training: `POST /backtests` (starts an operation), `GET /backtests`,
 *   `GET /backtests/:backtest_id`, `POST /backtests/import` (a queue worker's backtest)
 *
 * Anything else under the router answers 404 JSON. No answer carries an absolute server path: the
 * data, models and strategies folders are shown as `<data dir>`, `<models dir>`, `<strategies dir>`.
 */
export function createApiRouter(options: ApiRouterOptions = {}): KtrdrRouter {
  const built =
    options.data === undefined
      ? createApiServices({ config: options.config, operations: options.operations, logger: options.logger })
      : undefined;
  const data = options.data ?? (built as NonNullable<typeof built>).data;
  const training = options.training ?? built?.training;
  const operations = options.operations ?? data.operations;
  const queue = options.queue;
  const backtests = backtestsApi({
    backtests: options.backtests ?? built?.backtests,
    queueStart: queue?.backtestStartService,
    data,
    operations,
    enabled: training !== undefined,
  });
  const folders: ServerFolder[] = [
    { label: 'data dir', path: data.config.dataDir },
    { label: 'models dir', path: (training ?? data).config.modelsDir },
    { label: 'strategies dir', path: options.strategiesDir ?? bundledStrategiesDir() },
  ];
  // Served in this order (below), after the hand-written routes.
  const ownServices = [
    ...(queue === undefined ? [] : [queue.startService]),
    createDataApiService(data),
    queue?.operationsService ?? createOperationsService(operations),
    ...(training === undefined
      ? []
      : [createTrainingApiService(training, { strategiesDir: options.strategiesDir })]),
  ];
  const services = [...ownServices, ...backtests.services];
  const router = Router();
  router.use(redactAnswers(createPathRedactor(folders)));
  if (options.token !== undefined) router.use(createBearerAuth(options.token));
  // Built once here, from what this router serves; the request path only sends it.
  router.get(
    '/openapi.json',
    openApiRoute(
      buildOpenApiDocument({
        title: 'ktrdr backend API',
        version: SERVER_VERSION,
        contracts: services.map((service) => service.contract),
        handWritten: apiHandWrittenRoutes,
      }),
    ),
  );
  router.get(
    '/health',
    healthRoute({
      components: { data, training, backtest: backtests.backtests },
      operations,
      timeoutMs: options.healthTimeoutMs,
      queueDepths: queue === undefined ? undefined : () => queue.operations.depths(),
    }),
  );
  const events = { heartbeatMs: options.eventsHeartbeatMs };
  router.get(
    '/operations/:operation_id/events',
    queue === undefined
      ? operationEventsRoute(operations, events)
      : queueOperationEventsRoute(queue.operations, events),
  );
  router.get('/workers', workersRoute(queue?.operations));
  // Before the JSON listener, which would otherwise answer every GET of this path. A standalone
  // server also answers these ahead of Express (its hot lane); here they serve an embedding app.
  const bars: HotRoute = {
    path: '/data/:symbol/:timeframe',
    handlers: [barsCsvHandler(data), barsJsonHandler(data)],
  };
  router.get(bars.path, ...bars.handlers.map(expressHandler));
  // With a queue, its start routes answer `POST /data/load`, `/trainings/start` (and `/backtests`) first.
  for (const service of ownServices) router.use(serviceMiddleware(service, options));
  backtests.mount(router, options);
  router.use(jsonNotFoundHandler);
  router.use(jsonErrorHandler);
  const closable = withClose(router, async () => {
    await backtests.close();
    await built?.close();
  });
  return attachHotRoutes(closable, [bars]);
}
