import { ValidationError } from '@ktrdr/core';

/** Activation functions of the hidden layers (each has an exact ONNX and TF.js counterpart). */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as const;
/** One of {@link ACTIVATIONS}. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Optimizers the trainer supports, with TF.js semantics (same update rules and defaults). */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
/** One of {@link OPTIMIZERS}. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Metrics early stopping can watch. */
export const MONITORS = ['val_loss', 'val_accuracy', 'loss', 'accuracy'] as const;
/** One of {@link MONITORS}. */
export type MonitoredMetric = (typeof MONITORS)[number];

/** Stop when the monitored metric has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStoppingConfig {
  /** Epochs without improvement before stopping (the reference system used 10). */
  patience: number;
  /** Smallest change that counts as an improvement. */
  minDelta: number;
  /** Which metric to watch; losses must fall, accuracies must rise. */
  monitor: MonitoredMetric;
}

/**
 * Learning rate per epoch (0-based epoch `e`, base rate `lr`):
 * `step`: `lr * gamma^floor(e / stepSize)`; `exponential`: `lr * gamma^e`; `constant`: `lr`.
 */
export type LearningRateSchedule =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'exponential'; gamma: number };

/** Everything that defines an MLP and how it is trained. */
export interface MlpConfig {
  /** Units of each hidden layer, input side first (e.g. `[64, 32]`). The output layer has 3 units. */
  hiddenLayers: number[];
  /** Activation of every hidden layer. */
  activation: Activation;
  /** Dropout rate after every hidden layer, in [0, 1). Inactive at inference. */
  dropout: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  optimizer: OptimizerName;
  /**
   * L2 weight decay as PyTorch's optimizers apply it (Python KTRDR's `weight_decay`): `decay * w` is
   * added to every parameter's gradient before the optimizer step. Default 0.
   */
  weightDecay?: number;
  earlyStopping?: EarlyStoppingConfig;
  lrSchedule?: LearningRateSchedule;
  /** Seed of weight initialisation, shuffling and dropout: the same seed gives the same model. */
  seed: number;
  /**
   * A learned embedding of each row's symbol, `dim` values appended to the features (multi-symbol
   * "universal" models); the rows must carry their symbol (`DatasetSplit.groups`).
   */
  symbolEmbedding?: { dim: number; symbols: number };
}

/** Number of output classes: BUY, HOLD, SELL. */
export const OUTPUT_UNITS = 3;

function fail(field: string, message: string): never {
  throw new ValidationError(`Invalid model config: ${field} ${message}`, { details: { field } });
}

function checkNumber(field: string, value: unknown, min: number, max: number, integer: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(field, `must be a finite number (got ${String(value)})`);
  if (integer && !Number.isInteger(value)) fail(field, `must be an integer (got ${value})`);
  if (value < min || value > max) fail(field, `must be within [${min}, ${max}] (got ${value})`);
}

/**
 * Throws a {@link ValidationError} naming the offending field (`details.field`, e.g.
 * `hiddenLayers[1]`) when `config` is not a usable {@link MlpConfig}; returns it typed otherwise.
 */
export function validateMlpConfig(config: MlpConfig): MlpConfig {
  if (!Array.isArray(config.hiddenLayers) || config.hiddenLayers.length === 0) {
    fail('hiddenLayers', 'must be a non-empty array of layer sizes such as [64, 32]');
  }
  config.hiddenLayers.forEach((units, i) => checkNumber(`hiddenLayers[${i}]`, units, 1, 65536, true));
  if (!(ACTIVATIONS as readonly string[]).includes(config.activation)) {
    fail('activation', `must be one of ${ACTIVATIONS.join(', ')} (got ${String(config.activation)})`);
  }
  checkNumber('dropout', config.dropout, 0, 0.95, false);
  checkNumber('learningRate', config.learningRate, 1e-12, 10, false);
  checkNumber('batchSize', config.batchSize, 1, 1 << 20, true);
  checkNumber('epochs', config.epochs, 1, 100_000, true);
  if (!(OPTIMIZERS as readonly string[]).includes(config.optimizer)) {
    fail('optimizer', `must be one of ${OPTIMIZERS.join(', ')} (got ${String(config.optimizer)})`);
  }
  if (config.weightDecay !== undefined) checkNumber('weightDecay', config.weightDecay, 0, 1, false);
  checkNumber('seed', config.seed, 0, 0xffffffff, true);
  if (config.symbolEmbedding !== undefined) {
    checkNumber('symbolEmbedding.dim', config.symbolEmbedding.dim, 1, 1024, true);
    checkNumber('symbolEmbedding.symbols', config.symbolEmbedding.symbols, 1, 65536, true);
  }
  const es = config.earlyStopping;
  if (es !== undefined) {
    checkNumber('earlyStopping.patience', es.patience, 0, 100_000, true);
    checkNumber('earlyStopping.minDelta', es.minDelta, 0, Number.MAX_VALUE, false);
    if (!(MONITORS as readonly string[]).includes(es.monitor)) {
      fail('earlyStopping.monitor', `must be one of ${MONITORS.join(', ')} (got ${String(es.monitor)})`);
    }
  }
  const s = config.lrSchedule;
  if (s !== undefined) {
    if (s.type === 'step') {
      checkNumber('lrSchedule.stepSize', s.stepSize, 1, 1_000_000, true);
      checkNumber('lrSchedule.gamma', s.gamma, 0, 10, false);
    } else if (s.type === 'exponential') {
      checkNumber('lrSchedule.gamma', s.gamma, 0, 10, false);
    } else if (s.type !== 'constant') {
      fail(
        'lrSchedule.type',
        `must be one of constant, step, exponential (got ${String((s as { type: unknown }).type)})`,
      );
    }
  }
  return config;
}

/** The learning rate of 0-based `epoch` under the config's schedule. */
export function learningRateForEpoch(
  config: Pick<MlpConfig, 'learningRate' | 'lrSchedule'>,
  epoch: number,
): number {
  const s = config.lrSchedule;
  if (s === undefined || s.type === 'constant') return config.learningRate;
  if (s.type === 'step') return config.learningRate * s.gamma ** Math.floor(epoch / s.stepSize);
  return config.learningRate * s.gamma ** epoch;
}
