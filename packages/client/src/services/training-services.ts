import { type KtrdrConfig, type OperationRegistry, loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { TrainingAdapter, type TrainingSessions, TrainingService, createLocalTrainer } from '@ktrdr/training';
import { tokenFrom } from './host-service-token';

/**
 * Builds the {@link TrainingService} the configuration describes over `data` and `operations`:
 * training on the host `USE_TRAINING_HOST_SERVICE` names (with the deployment's token), or in
 * worker threads here, saving to `KTRDR_MODELS_DIR`.
 */
export function createTrainingService(
  data: DataService,
  operations: OperationRegistry,
  options: {
    config?: KtrdrConfig;
    hostServiceToken?: string;
    env?: Readonly<Record<string, string | undefined>>;
  } = {},
): TrainingService {
  const config = options.config ?? data.config;
  const token = tokenFrom(options.hostServiceToken, options.env);
  const adapter =
    config.training.useHostService && token !== undefined
      ? new TrainingAdapter({ kind: 'http', url: config.training.hostServiceUrl, token })
      : undefined;
  return new TrainingService({ data, config, operations, adapter });
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
