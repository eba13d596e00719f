/**
 * The public surface of `@ktrdr/server`: the IB host service, the training host service and the
 * backend API as Express routers to mount in any app, `startServer` to run one standalone with the
 * security defaults (loopback bind, bearer token off loopback, body limits, graceful shutdown), and
 * the pieces they are made of. Everything exported here is supported API; anything else is internal.
 * The server holds no business logic: every route is a thin layer over `@ktrdr/data`,
 * `@ktrdr/training` and `@ktrdr/core`.
 */
export { createApiRouter, type ApiRouterOptions } from './routers/api-router';
export { createIbHostRouter, type IbHostRouterOptions } from './routers/ib-host-router';
export { createTrainingHostRouter, type TrainingHostRouterOptions } from './routers/training-host-router';
export type { KtrdrRouter, RouterLoggingOptions, RouterSecurityOptions } from './routers/router-options';
export {
  createApiServices,
  createIbSourceFromConfig,
  createTrainingHostServices,
  type ApiServices,
  type ApiServicesOptions,
  type TrainingHostServices,
} from './services/default-services';
export { startServer, type RunningServer } from './server/start-server';
export {
  createDashboardRouter,
  type DashboardRouterOptions,
  type DashboardServerInfo,
} from './dashboard/dashboard-router';
export { DASHBOARD_PATH, dashboardAssetsDir } from '@ktrdr/dashboard';
export type {
  ApiServerOptions,
  CommonServerOptions,
  IbHostServerOptions,
  StartServerOptions,
  TrainingHostServerOptions,
} from './server/start-server-options';
export { DEFAULT_API_BASE_PATH, DEFAULT_PORTS, type ServerKind } from './server/server-kinds';
export { installShutdownHandlers, type ShutdownHandlerOptions } from './server/shutdown-signals';
export { API_TOKEN_VARIABLE, createBearerAuth, tokensMatch } from './auth/bearer-auth';
export { DEFAULT_BIND_HOST, isLoopbackHost, resolveServerToken } from './auth/bind-policy';
export { jsonErrorHandler, jsonNotFoundHandler, toHttpError } from './http/json-errors';
export { DEFAULT_BODY_LIMIT_BYTES, serviceMiddleware } from './http/service-middleware';
export { redactAnswers } from './http/redact-answers';
export { createPathRedactor, type PathRedactor, type ServerFolder } from './http/redact-paths';
export { CSV_CONTENT_TYPE, barsCsvRoute } from './api/bars-csv-route';
export {
  EVENT_STREAM_CONTENT_TYPE,
  operationEventsRoute,
  type OperationEventsOptions,
} from './api/operation-events-route';
export { createServerLogger, type ServerLoggerOptions } from './logging/create-server-logger';
export { LOG_LEVELS, type LogFormat, type LogLevel } from './logging/log-settings';
export { REQUEST_ID_HEADER, createAccessLog } from './logging/access-log';
export { healthRoute, type HealthCheckable, type HealthRouteOptions } from './api/health-route';
