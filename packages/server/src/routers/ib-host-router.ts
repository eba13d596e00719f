import { Router } from 'express';
import type { KtrdrConfig } from '@ktrdr/core';
import { type HistoricalDataSource, createIbHostService } from '@ktrdr/data';
import { createBearerAuth } from '../auth/bearer-auth';
import { jsonErrorHandler, jsonNotFoundHandler } from '../http/json-errors';
import { serviceMiddleware } from '../http/service-middleware';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { openApiRoute } from '../openapi/openapi-route';
import { SERVER_VERSION } from '../openapi/server-version';
import { createIbSourceFromConfig } from '../services/default-services';
import {
  type KtrdrRouter,
  type RouterLoggingOptions,
  type RouterSecurityOptions,
  withClose,
} from './router-options';

/** Options of {@link createIbHostRouter}. */
export interface IbHostRouterOptions extends RouterSecurityOptions, RouterLoggingOptions {
  /** Where bars come from (default: the direct IB connection the configuration describes). */
  source?: HistoricalDataSource;
  /** Configuration for the default source (default `loadConfig()`). */
  config?: KtrdrConfig;
}

/**
 * The IB host service as an Express router: `GET /health`, `POST /data/historical`,
 * `POST /data/validate`, `GET /data/symbol-info/:symbol`, `GET /data/head-timestamp`,
 * `GET /data/search` (symbol search), relative to
 * wherever it is mounted. Failures answer with real HTTP statuses and `{ success: false, error }`;
 * a caller that disconnects aborts its IB request (the source receives the request's signal).
 */
export function createIbHostRouter(options: IbHostRouterOptions = {}): KtrdrRouter {
  const source = options.source ?? createIbSourceFromConfig(options.config, { logger: options.logger });
  const router = Router();
  if (options.token !== undefined) router.use(createBearerAuth(options.token));
  const service = createIbHostService(source);
  // Built once here; the request path only sends it.
  const document = buildOpenApiDocument({
    title: 'ktrdr IB host service',
    version: SERVER_VERSION,
    contracts: [service.contract],
  });
  router.get('/openapi.json', openApiRoute(document));
  router.use(serviceMiddleware(service, options));
  router.use(jsonNotFoundHandler);
  router.use(jsonErrorHandler);
  return withClose(router, options.source === undefined ? () => source.close() : () => Promise.resolve());
}
