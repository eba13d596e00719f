import type { KtrdrConfig, OperationRegistry, ServiceImplementation } from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';
import {
  BacktestAdapter,
  type BacktestHostContract,
  BacktestRunner,
  BacktestService,
  BacktestStore,
  createBacktestHostService,
  dataStoreBars,
  defaultBacktestsDir,
} from '@ktrdr/backtest';
import { ModelStore } from '@ktrdr/training';
import { tokenFrom } from './host-service-token';

/**
 * How long one backtest call to the training host may take, ms: a run answers when it ends (its
 * progress streams meanwhile), and a year of minute bars takes seconds, so this only catches a hung host.
 */
const HOST_BACKTEST_TIMEOUT_MS = 10 * 60_000;

/**
 * Builds the {@link BacktestService} the configuration describes over `data` and `operations`. When
 * trainings run on the training host (`USE_TRAINING_HOST_SERVICE`, with the deployment's token),
 * backtests run there too, next to the models it saved; otherwise in this process, over the models in
 * `KTRDR_MODELS_DIR` and the bars of the data store. Either way they are stored in the `backtests`
 * folder beside that models folder.
 */
export function createBacktestService(
  data: DataService,
  operations: OperationRegistry,
  options: {
    config?: KtrdrConfig;
    backtestsDir?: string;
    hostServiceToken?: string;
    env?: Readonly<Record<string, string | undefined>>;
  } = {},
): BacktestService {
  const config = options.config ?? data.config;
  const token = tokenFrom(options.hostServiceToken, options.env);
  const adapter =
    config.training.useHostService && token !== undefined
      ? new BacktestAdapter({
          kind: 'http',
          url: config.training.hostServiceUrl,
          token,
          timeoutMs: HOST_BACKTEST_TIMEOUT_MS,
        })
      : undefined;
  return new BacktestService({
    data,
    operations,
    config,
    ...(options.backtestsDir === undefined ? {} : { backtestsDir: options.backtestsDir }),
    ...(adapter === undefined ? {} : { adapter }),
  });
}

/**
 * The backtest host routes a training host serves beside its training routes: backtests of the
 * models in `config.modelsDir` over the bars of `data`, stored in the `backtests` folder beside it.
 */
export function createBacktestHostServices(
  config: KtrdrConfig,
  data: DataService,
): ServiceImplementation<BacktestHostContract> {
  return createBacktestHostService(
    new BacktestRunner({
      models: new ModelStore({ root: config.modelsDir }),
      store: new BacktestStore(defaultBacktestsDir(config.modelsDir)),
      loadBars: dataStoreBars(data),
    }),
  );
}
