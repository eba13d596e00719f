import { type KtrdrConfig, OperationRegistry, loadConfig } from '@ktrdr/core';
import {
  AsyncDataAdapter,
  DataService,
  type HistoricalDataSource,
  createIbDataSource,
  defaultPacingLedger,
} from '@ktrdr/data';
import { TrainingAdapter, type TrainingSessions, TrainingService, createLocalTrainer } from '@ktrdr/training';
import { API_TOKEN_VARIABLE } from '../auth/bearer-auth';

/**
 * The direct-IB data source the configuration describes (`IB_HOST`, `IB_PORT`, `IB_CLIENT_ID`,
 * `IB_TIMEOUT`): what the IB host service serves. It connects on first use, and paces together
 * with every other process of the same data folder on that gateway (the pacing ledger).
 */
export function createIbSourceFromConfig(config: KtrdrConfig = loadConfig()): HistoricalDataSource {
  return createIbDataSource({
    host: config.ib.host,
    port: config.ib.port,
    clientId: config.ib.clientId,
    requestTimeoutMs: config.ib.timeoutMs,
    pacing: { ledger: defaultPacingLedger(config) },
  });
}

/** The SDK services the backend API is a thin layer over. */
export interface ApiServices {
  data: DataService;
  /** One registry shared by data loads and trainings, so `/operations` lists both. */
  operations: OperationRegistry;
  /** Absent when built with `training: false`. */
  training?: TrainingService;
  /** Cancels running operations and closes connections and trainers. */
  close(): Promise<void>;
}

/** Options of {@link createApiServices}. */
export interface ApiServicesOptions {
  /** Resolved configuration (default `loadConfig()`: environment, then defaults). */
  config?: KtrdrConfig;
  /**
   * Bearer token sent to the IB and training host services when `USE_*_HOST_SERVICE` routes work
   * over HTTP (default `KTRDR_API_TOKEN`: one token for a deployment).
   */
  hostServiceToken?: string;
  /** Registry to share (default: a new one). */
  operations?: OperationRegistry;
  /** `false` leaves training out: the API then serves data and operations only. */
  training?: false;
}

function tokenFrom(explicit: string | undefined): string | undefined {
  const token = explicit ?? process.env[API_TOKEN_VARIABLE];
  return token === undefined || token.trim() === '' ? undefined : token.trim();
}

/**
 * Builds the backend API's services from the configuration: a {@link DataService} over the adapter
 * `USE_IB_HOST_SERVICE` asks for (http to `IB_HOST_SERVICE_URL`, or direct IB in-process) with its
 * CSV store in `KTRDR_DATA_DIR`; a {@link TrainingService} training on the host
 * `USE_TRAINING_HOST_SERVICE` names or in worker threads here, saving to `KTRDR_MODELS_DIR`; and one
 * operation registry for both.
 */
export function createApiServices(options: ApiServicesOptions = {}): ApiServices {
  const config = options.config ?? loadConfig();
  const operations = options.operations ?? new OperationRegistry();
  const token = tokenFrom(options.hostServiceToken);
  // The SDK's default adapters send no token: build the http ones here when the hosts need one.
  const dataAdapter =
    config.ib.useHostService && token !== undefined
      ? new AsyncDataAdapter({
          kind: 'http',
          url: config.ib.hostServiceUrl,
          token,
          deadlineMs: config.ib.hostServiceTimeoutMs,
        })
      : undefined;
  const data = new DataService({ config, operations, adapter: dataAdapter });
  const trainingAdapter =
    config.training.useHostService && token !== undefined
      ? new TrainingAdapter({ kind: 'http', url: config.training.hostServiceUrl, token })
      : undefined;
  const training =
    options.training === false
      ? undefined
      : new TrainingService({ data, config, operations, adapter: trainingAdapter });
  return {
    data,
    operations,
    training,
    async close() {
      await operations.cancelAll('Server shutting down');
      await Promise.allSettled([data.close(), training?.close()]);
    },
  };
}

/** What the training host service runs on. */
export interface TrainingHostServices {
  /** The trainer: sessions in worker threads. */
  sessions: TrainingSessions;
  /** Where sessions read their bars (the CSV store in `KTRDR_DATA_DIR`). */
  data: DataService;
  /** Stops running sessions, closes the worker pool and the data service. */
  close(): Promise<void>;
}

/**
 * Builds the training host's trainer from the configuration: worker-thread sessions that read bars
 * from the store in `KTRDR_DATA_DIR` (through `data`, or a data service built here) and save models
 * to `KTRDR_MODELS_DIR`.
 */
export function createTrainingHostServices(
  options: { config?: KtrdrConfig; data?: DataService; maxConcurrentSessions?: number } = {},
): TrainingHostServices {
  const config = options.config ?? options.data?.config ?? loadConfig();
  const data = options.data ?? new DataService({ config });
  const sessions = createLocalTrainer(data, config.modelsDir, options.maxConcurrentSessions);
  return {
    sessions,
    data,
    async close() {
      await sessions.close();
      if (options.data === undefined) await data.close();
    },
  };
}
