import type { ModelConfig, TrainingSectionConfig } from './types';

/**
 * Values a strategy gets for fields it leaves out. They follow the Python KTRDR v2 defaults
 * (relu MLP with softmax output, Adam at 1e-3, batch 32, 100 epochs, early stopping with patience
 * 10 on validation loss, 5% ZigZag with 20 bars of lookahead, 70/15/15 split, scaled features).
 */
export const DEFAULT_MODEL: ModelConfig = {
  type: 'mlp',
  architecture: { hidden_layers: [64, 32], activation: 'relu', output_activation: 'softmax', dropout: 0.2 },
  features: { lookback_periods: 0, scale_features: true, scaling_method: 'standard' },
  training: {
    learning_rate: 0.001,
    batch_size: 32,
    epochs: 100,
    optimizer: 'adam',
    weight_decay: 0,
    early_stopping: { enabled: true, patience: 10, monitor: 'val_loss', min_delta: 0 },
  },
};

/** Defaults of the `training` section. */
export const DEFAULT_TRAINING: TrainingSectionConfig = {
  labels: { source: 'zigzag', zigzag_threshold: 0.05, label_lookahead: 20 },
  data_split: { train: 0.7, validation: 0.15, test: 0.15 },
};
