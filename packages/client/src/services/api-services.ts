import type { OperationRegistry } from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';
import type { BacktestService } from '@ktrdr/backtest';
import type { TrainingService } from '@ktrdr/training';
import { createBacktestService } from './backtest-services';
import { type DataServicesOptions, createDataServices } from './data-services';
import { createTrainingService } from './training-services';

/** The SDK services the backend API (and an embedded client) is a thin layer over. */
export interface ApiServices {
  data: DataService;
  /** One registry shared by data loads and trainings, so `/operations` lists both. */
  operations: OperationRegistry;
  /** Absent when built with `training: false`. */
  training?: TrainingService;
  /** Backtests of the models; absent when built with `training: false`. */
  backtests?: BacktestService;
  /** Cancels running operations and closes connections and trainers. */
  close(): Promise<void>;
}

/** Options of {@link createApiServices}. */
export interface ApiServicesOptions extends DataServicesOptions {
  /** `false` leaves training and backtests out: the API then serves data and operations only. */
  training?: false;
}

/**
 * Builds the backend API's services from the configuration: the data path of
 * {@link createDataServices}, the training path of {@link createTrainingService}, and one operation
 * registry for both.
 */
export function createApiServices(options: ApiServicesOptions = {}): ApiServices {
  const { data, operations } = createDataServices(options);
  const training =
    options.training === false
      ? undefined
      : createTrainingService(data, operations, {
          hostServiceToken: options.hostServiceToken,
          env: options.env,
        });
  const backtests =
    options.training === false
      ? undefined
      : createBacktestService(data, operations, {
          hostServiceToken: options.hostServiceToken,
          env: options.env,
        });
  return {
    data,
    operations,
    training,
    backtests,
    async close() {
      await operations.cancelAll('Server shutting down');
      await Promise.allSettled([data.close(), training?.close(), backtests?.close()]);
    },
  };
}
