/**
 * The public surface of `@ktrdr/data`: bars and timeframes, the trading calendar, gap analysis, the
 * CSV store, the direct-IB client, and the async data chain
 * `DataService -> AsyncDataManager -> AsyncDataAdapter -> transport`.
 */
export * from './domain/index';
export * from './calendar/index';
export * from './gaps/index';
export * from './store/index';
export {
  IbClient,
  createIbClient,
  IbConnection,
  SIMULATED_ACCOUNT_PREFIX,
  IbConnectionRegistry,
  sharedIbConnections,
  IB_CONNECTION_DEFAULTS,
  IB_HISTORICAL_PACING_LIMITS,
  PacingScheduler,
  FilePacingLedger,
  createPacingLedger,
  pacingLedgerPath,
  classifyIbError,
  IB_BAR_SIZES,
  toIbDuration,
  parseSearchPattern,
  type ContractDetailsResult,
  type FetchHistoricalBarsParams,
  type HeadTimestampOptions,
  type HistoricalBarsResult,
  type HistoricalFetchEstimateParams,
  type IbCallOptions,
  type IbClientOptions,
  type IbClientStatus,
  type IbConnectionStatus,
  type IbContractInfo,
  type IbSymbolMatch,
  type IbBar,
  type FilePacingLedgerOptions,
  type PacingLedger,
  type LedgerRecord,
  type LedgerSend,
  type PacingLimits,
  type PacingPlanQuery,
  type PacingProfile,
  type PacingSchedulerOptions,
  type PacingStats,
} from './ib/index';
export {
  ibHostContract,
  contractInfoSchema,
  symbolMatchSchema,
  wireBarSchema,
  type ContractInfo,
  type IbHostContract,
  type SymbolMatch,
} from './host-service/ib-host-contract';
export type {
  BarsRequest,
  FetchEstimateRequest,
  HistoricalDataSource,
  SourceBars,
  SourceHealth,
} from './host-service/historical-data-source';
export { createIbHostService, type IbHostServiceOptions } from './host-service/create-ib-host-service';
export type { CoalescedFetchesOptions } from './host-service/coalesced-fetches';
export { createIbDataSource, type IbDataSourceOptions } from './host-service/ib-data-source';
export {
  AsyncDataAdapter,
  createDataAdapter,
  type CreateDataAdapterOptions,
  type DataAdapterTransportOptions,
  type FetchHistoricalOptions,
  type SymbolValidation,
} from './adapter/async-data-adapter';
export { AsyncDataManager, type AsyncDataManagerOptions } from './manager/async-data-manager';
export {
  LOAD_MODES,
  type FailedSegment,
  type LoadDataOptions,
  type LoadDataResult,
  type LoadMode,
  type LoadRange,
  type LoadResume,
  type NoDataRange,
} from './manager/load-types';
export { partialLoadOf } from './manager/load-outcome';
export {
  NO_DATA_TTL_OLD_MS,
  NO_DATA_TTL_RECENT_MS,
  NO_DATA_RECENT_MS,
  noDataLifetimeMs,
} from './manager/no-data-memory';
export {
  DataService,
  defaultPacingLedger,
  summarizeLoad,
  summarizePartialLoad,
  type DataRange,
  type DataServiceOptions,
  type LoadRequest,
  type SymbolSummary,
  type TimeframeInfo,
} from './service/data-service';
export { dataApiContract, type DataApiContract } from './api/data-api-contract';
export { createDataApiService } from './api/create-data-api-service';
