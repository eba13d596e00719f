import type {
  KtrdrConfig,
  OperationInfo,
  OperationProgress,
  OperationsContract,
  ServiceClient,
} from '@ktrdr/core';
import type { BacktestApiContract } from '@ktrdr/backtest';
import type { DataApiContract } from '@ktrdr/data';
import type { TrainingApiContract } from '@ktrdr/training';

/** Options of following an operation to its end. */
export interface FollowOptions {
  /** Stops following (the operation goes on); the follow then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Receives each progress update while the operation runs. */
  onProgress?: (progress: OperationProgress) => void;
}

/**
 * The backend API's routes as typed calls, the same in both modes: over in-process transports to
 * services built here (embedded), or over one keep-alive HTTP client to a running API (remote).
 */
export interface KtrdrApi {
  readonly data: ServiceClient<DataApiContract>;
  readonly operations: ServiceClient<OperationsContract>;
  /** The training routes; the first call loads the training stack (TF.js, ONNX Runtime). */
  training(): Promise<ServiceClient<TrainingApiContract>>;
  /** The backtest routes; the first call loads the backtest stack (and training's, for inference). */
  backtests(): Promise<ServiceClient<BacktestApiContract>>;
}

/**
 * What a mode provides the client with: the routes, and how to follow one operation to its end
 * (`operations.wait` in-process, server-sent events over HTTP).
 * @internal
 */
export interface ClientConnection {
  readonly mode: 'embedded' | 'remote';
  readonly target: string;
  readonly config: KtrdrConfig;
  readonly api: KtrdrApi;
  /** Resolves with the operation's final snapshot. */
  follow(operationId: string, options: FollowOptions): Promise<OperationInfo>;
  close(): Promise<void>;
}
