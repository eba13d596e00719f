import path from 'node:path';
import { type ServiceImplementation, implementService } from '@ktrdr/core';
import { selectStoredBars } from '@ktrdr/data';
import { INDICATOR_WARMUP_BARS, strategyIndicatorColumns } from '../strategy/strategy-indicator-columns';
import type { TrainingService } from '../service/training-service';
import { bundledStrategiesDir } from '../strategy/bundled-strategies';
import { loadNamedStrategy, strategyFileName } from '../strategy/named-strategy';
import { type TrainingApiContract, trainingApiContract } from '../contract/training-api-contract';

/** Options of {@link createTrainingApiService}. */
export interface TrainingApiServiceOptions {
  /** Folder `strategy_name` is looked up in (default: the strategies shipped with the package). */
  strategiesDir?: string;
}

/**
 * The backend API's training routes over a {@link TrainingService}. Over HTTP a strategy comes as
 * YAML text or as a name in the strategies folder, never as a path, so no caller can make the
 * server read an arbitrary file.
 */
export function createTrainingApiService(
  training: TrainingService,
  options: TrainingApiServiceOptions = {},
): ServiceImplementation<TrainingApiContract> {
  const strategiesDir = options.strategiesDir ?? bundledStrategiesDir();
  return implementService(trainingApiContract, {
    async start(input) {
      const handle = await training.startTraining({
        strategyYaml: input.strategy_yaml,
        // The name is validated by the contract (a single safe path segment).
        strategyPath:
          input.strategy_yaml === undefined && input.strategy_name !== undefined
            ? path.join(strategiesDir, strategyFileName(input.strategy_name))
            : undefined,
        // Problems name the client's file, or the strategy's name: never this server's folders.
        strategyFile:
          input.strategy_yaml !== undefined
            ? input.strategy_file
            : strategyFileName(input.strategy_name ?? 'strategy'),
        symbol: input.symbol,
        timeframe: input.timeframe,
        symbols: input.symbols,
        timeframes: input.timeframes,
        loadMissing: input.load_missing,
        startDate: input.start_date,
        endDate: input.end_date,
        epochs: input.epochs,
        seed: input.seed,
        checkpoint:
          input.checkpoint_configuration === undefined
            ? undefined
            : {
                id: input.checkpoint_configuration.checkpoint_id,
                every: input.checkpoint_configuration.every_epochs,
                resume: input.checkpoint_configuration.resume,
              },
      });
      return {
        success: true as const,
        operation_id: handle.id,
        status: handle.status,
        data: handle.describe(),
      };
    },
    async models() {
      const { models, problems } = await training.surveyModels();
      return { success: true as const, data: models, ...(problems.length > 0 ? { problems } : {}) };
    },
    async model({ strategy, model }) {
      return { success: true as const, data: await training.getModel(`${strategy}/${model}`) };
    },
    async importModel(bundle) {
      return { success: true as const, data: await training.importModel(bundle) };
    },
    async predict(input) {
      return {
        success: true as const,
        data: await training.predict({
          model: input.model_name,
          symbol: input.symbol,
          timeframe: input.timeframe,
          bars: input.bars,
          runtime: input.runtime,
          loadMissing: input.load_missing,
        }),
      };
    },
    async indicators({ symbol, timeframe, strategy: name, limit }) {
      const strategy = await loadNamedStrategy(strategiesDir, name);
      const loaded = await selectStoredBars(training.data.store, {
        symbol,
        timeframe,
        limit: limit + INDICATOR_WARMUP_BARS,
      });
      return {
        success: true as const,
        data: {
          strategy: strategy.name,
          symbol: loaded.symbol,
          timeframe: loaded.timeframe,
          simulated: loaded.simulated,
          ...strategyIndicatorColumns(strategy, loaded.frame.columns(), limit),
        },
      };
    },
  });
}
