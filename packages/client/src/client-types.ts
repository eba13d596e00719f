import type {
  CallOptions,
  KtrdrConfig,
  OperationsContract,
  RouteCallInput,
  ServiceClient,
} from '@ktrdr/core';
import type { BacktestApiContract, BacktestDetail } from '@ktrdr/backtest';
import type { DataApiContract } from '@ktrdr/data';
import type { TrainingApiContract } from '@ktrdr/training';
import type { KtrdrApi } from './client-connection';
import type { KtrdrOperationHandle } from './operation-handle';
import type {
  AnyOperationSummary,
  BacktestSummary,
  DataLoadSummary,
  TrainingSummary,
} from './operation-summaries';

/** A stored backtest in full, as `backtests.show` answers it. */
export type { BacktestDetail };

/** The data routes; `load` starts a load and returns a handle on it. */
export type DataClient = Omit<ServiceClient<DataApiContract>, 'load'> & {
  /** Starts a load (`POST /data/load`) and returns its handle; `result()` gives its {@link DataLoadSummary}. */
  load(
    input: RouteCallInput<DataApiContract['routes']['load']>,
    options?: CallOptions,
  ): Promise<KtrdrOperationHandle<DataLoadSummary>>;
};

/**
 * The training routes; `start` starts a training and returns a handle on it. The training stack
 * (TF.js, ONNX Runtime) loads on the first call.
 */
export type TrainingClient = Omit<ServiceClient<TrainingApiContract>, 'start'> & {
  /** Starts a training (`POST /trainings/start`) and returns its handle; `result()` gives its {@link TrainingSummary}. */
  start(
    input: RouteCallInput<TrainingApiContract['routes']['start']>,
    options?: CallOptions,
  ): Promise<KtrdrOperationHandle<TrainingSummary>>;
};

/**
 * The backtest routes; `start` starts a backtest and returns a handle on it. The backtest stack
 * (and the training stack it predicts with) loads on the first call.
 */
export type BacktestsClient = Omit<ServiceClient<BacktestApiContract>, 'start'> & {
  /** Starts a backtest (`POST /backtests`) and returns its handle; `result()` gives its {@link BacktestSummary}. */
  start(
    input: RouteCallInput<BacktestApiContract['routes']['start']>,
    options?: CallOptions,
  ): Promise<KtrdrOperationHandle<BacktestSummary>>;
};

/** The operations routes, and handles on any operation by id. */
export type OperationsClient = ServiceClient<OperationsContract> & {
  /**
   * A handle on operation `id`, whoever started it (this client, another process, the CLI). Nothing
   * is checked until the handle is used: an unknown id fails there with a `NotFoundError`.
   */
  handle<S = AnyOperationSummary>(id: string): KtrdrOperationHandle<S>;
};

/**
 * The ktrdr SDK behind one surface, in either mode: `embedded` (the services in this process) or
 * `remote` (a running API). The same calls, the same results and the same error classes in both.
 */
export interface KtrdrClient extends AsyncDisposable {
  readonly mode: 'embedded' | 'remote';
  /** `in-process`, or the API's base URL. */
  readonly target: string;
  /** The configuration the client was built from (in remote mode, only `apiUrl` is used). */
  readonly config: KtrdrConfig;
  readonly data: DataClient;
  readonly training: TrainingClient;
  readonly backtests: BacktestsClient;
  readonly operations: OperationsClient;
  /** Every route as the contract defines it (`load` and `start` answer the API's JSON, not handles). */
  readonly api: KtrdrApi;
  /**
   * Releases transports and connections. Embedded, it also cancels the operations still running:
   * they live in this process. Remote operations go on in the API.
   */
  close(): Promise<void>;
}
