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
  ibConnectionOptionsFromEnv,
  IB_HISTORICAL_PACING_LIMITS,
  PacingScheduler,
  classifyIbError,
  IB_BAR_SIZES,
  toIbDuration,
  type ContractDetailsResult,
  type FetchHistoricalBarsParams,
  type HeadTimestampOptions,
  type HistoricalBarsResult,
  type IbCallOptions,
  type IbClientOptions,
  type IbClientStatus,
  type IbConnectionStatus,
  type IbContractInfo,
  type IbBar,
  type PacingLimits,
  type PacingProfile,
  type PacingSchedulerOptions,
  type PacingStats,
} from './ib/index';
export {
  ibHostContract,
  contractInfoSchema,
  wireBarSchema,
  type ContractInfo,
  type IbHostContract,
} from './host-service/ib-host-contract';
export type {
  BarsRequest,
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
} from './manager/load-types';
export {
  DataService,
  summarizeLoad,
  type DataRange,
  type DataServiceOptions,
  type LoadRequest,
  type SymbolSummary,
  type TimeframeInfo,
} from './service/data-service';
export { dataApiContract, type DataApiContract } from './api/data-api-contract';
export { createDataApiService } from './api/create-data-api-service';
