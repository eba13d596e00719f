/**
 * The direct Interactive Brokers transport: a client on `@stoqey/ib`'s raw `IBApi` with a shared,
 * self-healing connection, request correlation, IB error classification and historical pacing.
 */
export { IbClient, createIbClient } from './ib-client';
export type {
  ContractDetailsResult,
  FetchHistoricalBarsParams,
  HeadTimestampOptions,
  HistoricalBarsResult,
  HistoricalFetchEstimateParams,
  IbCallOptions,
  IbClientOptions,
  IbClientStatus,
} from './ib-client';
export { IbConnection, SIMULATED_ACCOUNT_PREFIX } from './ib-connection';
export type { IbConnectionState, IbConnectionStatus, IbRequestSpec } from './ib-connection';
export { IbConnectionRegistry, sharedIbConnections } from './connection-registry';
export type { IbConnectionLease, IbSharedConnection, IbSharedConnectionOptions } from './connection-registry';
export { IB_CONNECTION_DEFAULTS, resolveEndpoint } from './ib-config';
export type { IbConnectionOptions, IbLogger, IbReconnectOptions } from './ib-config';
export { type FieldsFirstLogger, fieldsFirstLogger } from './fields-first-logger';
export {
  IB_HISTORICAL_PACING_LIMITS,
  PACING_POLICIES,
  PacingScheduler,
  SMALL_BAR_MAX_SECONDS,
  isHardPaced,
} from './pacing-scheduler';
export { AdaptiveThrottle, type AdaptiveThrottleOptions } from './adaptive-throttle';
export type {
  PacingLimits,
  PacingOutcome,
  PacingPermit,
  PacingPolicy,
  PacingProfile,
  PacingSchedulerOptions,
  PacingStats,
  PacingPlanQuery,
  PacingTicket,
} from './pacing-scheduler';
export { FilePacingLedger, createPacingLedger, ledgerIdentity, pacingLedgerPath } from './pacing-ledger';
export type { FilePacingLedgerOptions, LedgerRecord, LedgerSend, PacingLedger } from './pacing-ledger';
export { DEFAULT_PACING_RETRY_AFTER_MS, classifyIbError, ibConnectionError } from './error-classifier';
export type { IbErrorClassification, IbErrorInput, IbErrorKind } from './error-classifier';
export { RequestTracker } from './request-tracker';
export { MAX_SEARCH_PATTERN_LENGTH, parseSearchPattern, toSymbolMatches } from './symbol-search';
export type { IbSymbolMatch } from './symbol-search';
export type { IbRequestEvent, IbRequestKind, RequestControls, TrackOptions } from './request-tracker';
export {
  FUTURE_EXCHANGES,
  candidateTypes,
  lookupContract,
  normalizeSymbol,
  parseInstrumentType,
  pickFrontFuture,
  toContractInfo,
} from './contracts';
export type { IbContractInfo, IbInstrumentType } from './contracts';
export {
  IB_WHAT_TO_SHOW,
  buildHistoricalRequest,
  describeHistorical,
  historicalTicket,
  pacingBucket,
  resolveBarSize,
  resolveWhatToShow,
} from './historical-request';
export type { HistoricalRequest, IbBar, IbWhatToShow } from './historical-request';
export { IB_BAR_SIZES, formatIbEndDateTime, isIbBarSize, parseIbBarTime, toIbDuration } from './ib-time';
export type { IbBarSize, IbDuration } from './ib-time';
export { createStoqeyIbApi } from './ib-api-port';
export type {
  IbApiCreateOptions,
  IbApiFactory,
  IbApiPort,
  IbContract,
  IbContractDetails,
} from './ib-api-port';
export { systemClock } from './clock';
export type { Clock } from './clock';
export { backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
export { TtlCache } from './ttl-cache';
