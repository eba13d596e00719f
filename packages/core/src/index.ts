/**
 * The public surface of `@ktrdr/core`: errors, configuration, service contracts, transports,
 * `AsyncHostService` and operations. Everything exported here is supported API; anything else is
 * internal and may change.
 */
export * from './errors/index';
export * from './config/index';
export {
  defineRoute,
  defineService,
  type HttpMethod,
  type RouteCallInput,
  type RouteDefinition,
  type RouteInput,
  type RouteMap,
  type RouteOutput,
  type ServiceContract,
} from './contract/define-service';
export {
  implementService,
  type HandlerContext,
  type MatchedRoute,
  type ServiceHandlers,
  type ServiceImplementation,
  type ServiceRequest,
} from './contract/implement-service';
export { buildRequest, createServiceClient, type ServiceClient } from './contract/client';
export { parseInput } from './contract/validation';
export { isoDateString } from './contract/schemas';
export type { CallOptions, Transport, TransportCounters } from './transport/transport';
export {
  createHttpTransport,
  type HttpRetryOptions,
  type HttpTransportOptions,
} from './transport/http-transport';
export { createInProcessTransport, type InProcessTransportOptions } from './transport/in-process-transport';
export { type CallFn, type Interceptor, withInterceptors } from './transport/interceptor';
export {
  bearerAuthInterceptor,
  loggingInterceptor,
  retryInterceptor,
  type CallLogger,
  type RetryRule,
} from './transport/interceptors';
export {
  resolveTransportChoice,
  selectTransport,
  type ConfigTransportChoice,
  type HostServiceName,
  type HttpTransportChoice,
  type InProcessTransportChoice,
  type TransportChoice,
} from './transport/select-transport';
export { NDJSON_CONTENT_TYPE } from './http/ndjson';
export {
  createRequestListener,
  sendError,
  sendJson,
  type RequestListenerOptions,
  type ServiceRequestListener,
} from './http/request-listener';
export { serveService, type ServeServiceOptions, type ServiceServer } from './http/serve-service';
export {
  AsyncHostService,
  type HealthStatus,
  type HostServiceStats,
} from './host-service/async-host-service';
export {
  TERMINAL_STATUSES,
  type OperationContext,
  type OperationInfo,
  type OperationProgress,
  type OperationStatus,
} from './operations/operation-types';
export { createOperationId, isOperationId } from './operations/operation-id';
export { OperationHandle, type OperationEvents } from './operations/operation-handle';
export {
  OperationRegistry,
  type ListOperationsFilter,
  type OperationRegistryOptions,
  type StartOperationOptions,
} from './operations/operation-registry';
export { raceAbort, sleep } from './internal/abort';
export { createPathRedactor, type PathRedactor, type ServerFolder } from './redaction/redact-paths';
export {
  operationInfoSchema,
  operationsContract,
  type OperationsContract,
} from './operations/operations-contract';
export { createOperationsService } from './operations/operations-service';
export {
  pageOperations,
  type OperationsPage,
  type OperationsPageRequest,
} from './operations/operations-page';
