/**
 * The public surface of `@ktrdr/client`: `createKtrdrClient` and what it returns. A client reaches
 * the SDK embedded (services in this process) or remote (a running API) with the same calls, results
 * and error classes, and re-attaches to any operation by id. Everything exported here is supported
 * API; anything else is internal. The services themselves are assembled in `@ktrdr/client/services`.
 */
export { API_TOKEN_VARIABLE } from './services/host-service-token';
export { API_URL_VARIABLE, createKtrdrClient, type KtrdrClientOptions } from './create-ktrdr-client';
export type {
  BacktestDetail,
  BacktestsClient,
  DataClient,
  KtrdrClient,
  OperationsClient,
  TrainingClient,
} from './client-types';
export type { FollowOptions, KtrdrApi } from './client-connection';
export { KtrdrOperationHandle } from './operation-handle';
export type { EmbeddedServices } from './embedded-connection';
export { operationError } from './operation-error';
export { apiBaseUrl } from './api-url';
export { createDataServices, type DataServices, type DataServicesOptions } from './services/data-services';
export { API_SERVICE_NAME } from './remote-connection';
export type {
  AnyOperationSummary,
  BacktestSummary,
  DataLoadSummary,
  OperationSummaries,
  TrainingSummary,
  TypedOperationInfo,
} from './operation-summaries';
