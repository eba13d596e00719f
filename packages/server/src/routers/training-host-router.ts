import { Router } from 'express';
import type { KtrdrConfig } from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';
import { type TrainingSessions, createTrainingHostService } from '@ktrdr/training';
import { createBearerAuth } from '../auth/bearer-auth';
import { jsonErrorHandler, jsonNotFoundHandler } from '../http/json-errors';
import { redactAnswers } from '../http/redact-answers';
import { type ServerFolder, createPathRedactor } from '../http/redact-paths';
import { serviceMiddleware } from '../http/service-middleware';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { openApiRoute } from '../openapi/openapi-route';
import { SERVER_VERSION } from '../openapi/server-version';
import { createBacktestHostServices, createTrainingHostServices } from '../services/default-services';
import { type KtrdrRouter, type RouterSecurityOptions, withClose } from './router-options';

/** Options of {@link createTrainingHostRouter}. */
export interface TrainingHostRouterOptions extends RouterSecurityOptions {
  /** The trainer (default: worker-thread sessions built by `createTrainingHostServices`). */
  sessions?: TrainingSessions;
  /** Where the default trainer and the backtests read bars (default: the store of the configuration). */
  data?: DataService;
  /** Configuration for the defaults (default `loadConfig()`). */
  config?: KtrdrConfig;
}

/**
 * The training host service as an Express router: `GET /health`, `POST /training/start`,
 * `POST /training/stop`, `GET /training/status/:session_id`, `GET /training/sessions`, relative to
 * wherever it is mounted; with bars to read (`data`, or the default trainer's), also the backtest host
 * routes (`POST /backtests/run`, `GET /backtests`, `GET /backtests/:backtest_id`,
 * `GET /backtests/health`), so backtests run next to the models.
 */
export function createTrainingHostRouter(options: TrainingHostRouterOptions = {}): KtrdrRouter {
  const built =
    options.sessions === undefined
      ? createTrainingHostServices({ config: options.config, data: options.data })
      : undefined;
  const sessions = options.sessions ?? (built as NonNullable<typeof built>).sessions;
  // Session errors name model and bar files: show their folders by label in every answer.
  const config = options.config ?? options.data?.config ?? built?.data.config;
  const folders: ServerFolder[] =
    config === undefined
      ? []
      : [
          { label: 'data dir', path: config.dataDir },
          { label: 'models dir', path: config.modelsDir },
        ];
  const router = Router();
  router.use(redactAnswers(createPathRedactor(folders)));
  if (options.token !== undefined) router.use(createBearerAuth(options.token));
  // Backtests run where the models are: beside the trainer, over the same models folder and bars.
  const data = options.data ?? built?.data;
  const services = [
    createTrainingHostService(sessions),
    ...(config === undefined || data === undefined ? [] : [createBacktestHostServices(config, data)]),
  ];
  // Built once here; the request path only sends it.
  const document = buildOpenApiDocument({
    title: 'ktrdr training host service',
    version: SERVER_VERSION,
    contracts: services.map((service) => service.contract),
  });
  router.get('/openapi.json', openApiRoute(document));
  for (const service of services) router.use(serviceMiddleware(service, options));
  router.use(jsonNotFoundHandler);
  router.use(jsonErrorHandler);
  return withClose(router, built === undefined ? () => Promise.resolve() : () => built.close());
}
