import { ValidationError } from '@ktrdr/core';
import { ACTIVATIONS, type MlpConfig } from '../model/mlp-config';
import type { StrategyConfig } from '../strategy/types';

/** Overrides a caller may apply on top of the strategy's `model.training` section. */
export interface TrainingOverrides {
  epochs?: number;
  batch_size?: number;
  learning_rate?: number;
  seed?: number;
}

/**
 * Maps a strategy's `model` section onto the trainer's configuration. Settings the trainer cannot
 * honour are refused with the field named, never silently dropped.
 */
export function mlpConfigFromStrategy(
  strategy: StrategyConfig,
  overrides: TrainingOverrides = {},
): MlpConfig {
  const { architecture, training } = strategy.model;
  if (!(ACTIVATIONS as readonly string[]).includes(architecture.activation)) {
    throw new ValidationError(
      `model.architecture.activation '${architecture.activation}' is not supported by the trainer: use one of ${ACTIVATIONS.join(', ')}`,
      { details: { field: 'model.architecture.activation' } },
    );
  }
  if (training.weight_decay > 0) {
    throw new ValidationError(
      'model.training.weight_decay is not supported by the trainer yet: set it to 0',
      {
        details: { field: 'model.training.weight_decay' },
      },
    );
  }
  const schedule = training.lr_scheduler;
  if (schedule?.type === 'reduce_on_plateau') {
    throw new ValidationError(
      'model.training.lr_scheduler reduce_on_plateau is not supported: use step or exponential',
      {
        details: { field: 'model.training.lr_scheduler.type' },
      },
    );
  }
  const config: MlpConfig = {
    hiddenLayers: [...architecture.hidden_layers],
    activation: architecture.activation as MlpConfig['activation'],
    dropout: architecture.dropout,
    learningRate: overrides.learning_rate ?? training.learning_rate,
    batchSize: overrides.batch_size ?? training.batch_size,
    epochs: overrides.epochs ?? training.epochs,
    optimizer: training.optimizer,
    seed: overrides.seed ?? 42,
  };
  if (training.early_stopping.enabled) {
    config.earlyStopping = {
      patience: training.early_stopping.patience,
      minDelta: training.early_stopping.min_delta,
      monitor: training.early_stopping.monitor,
    };
  }
  if (schedule?.type === 'step')
    config.lrSchedule = { type: 'step', stepSize: schedule.step_size, gamma: schedule.gamma };
  if (schedule?.type === 'exponential') config.lrSchedule = { type: 'exponential', gamma: schedule.gamma };
  return config;
}
