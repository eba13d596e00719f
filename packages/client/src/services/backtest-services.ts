import type { KtrdrConfig, OperationRegistry } from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';
import { BacktestService } from '@ktrdr/backtest';

/**
 * Builds the {@link BacktestService} over `data` and `operations`: backtests run in this process,
 * over the models in `KTRDR_MODELS_DIR` and the bars of the data store, and are stored in the
 * `backtests` folder beside the models folder.
 */
export function createBacktestService(
  data: DataService,
  operations: OperationRegistry,
  options: { config?: KtrdrConfig; backtestsDir?: string } = {},
): BacktestService {
  return new BacktestService({
    data,
    operations,
    config: options.config ?? data.config,
    ...(options.backtestsDir === undefined ? {} : { backtestsDir: options.backtestsDir }),
  });
}
