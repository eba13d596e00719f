import { DEFAULT_MODEL } from './defaults';
import { checkKeys, expectMap, readBoolean, readChoice, readNumber } from './field-readers';
import { describeValue } from './problems';
import type { Activation, LearningRateSchedule, ModelConfig, OptimizerName } from './types';
import type { YamlCursor } from './yaml-cursor';

const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'leaky_relu', 'linear'];
const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop'];

/**
 * Python KTRDR v2 feature options that add non-fuzzy inputs. The pipeline builds fuzzy features only:
 * `false` is what it does anyway, `true` is accepted with a warning.
 */
const CONTEXT_FEATURE_KEYS = ['include_price_context', 'include_volume_context', 'include_raw_indicators'];

/** Model kinds Python KTRDR knows and this SDK does not train. */
const UNSUPPORTED_MODEL_TYPES = ['lstm', 'gru', 'cnn', 'transformer', 'tcn', 'regression'];

/**
 * Reads `model`, filling defaults from {@link DEFAULT_MODEL}. Returns undefined when any field was
 * reported.
 * @internal
 */
export function readModel(cursor: YamlCursor): ModelConfig | undefined {
  if (!expectMap(cursor)) return undefined;
  // `input_size` / `output_size`: Python KTRDR warns that the model format is old and ignores them.
  const oldFormat = ['input_size', 'output_size'];
  checkKeys(
    cursor,
    ['type', 'architecture', 'features', 'training', 'symbol_embedding_dim'],
    ['name', 'description', ...oldFormat],
  );
  for (const key of oldFormat) {
    if (!cursor.child(key).missing) {
      cursor.warnKey(
        key,
        `old model format (as Python KTRDR warns): ignored, the ${key === 'input_size' ? 'input size follows from the features' : 'output is always BUY/HOLD/SELL'}`,
      );
    }
  }
  const type = readType(cursor.child('type'));
  // An LSTM's architecture has other fields: one problem (the type) says it all.
  if (type === undefined) return undefined;
  const architecture = readArchitecture(cursor.child('architecture'));
  const features = readFeatures(cursor.child('features'));
  const training = readTraining(cursor.child('training'));
  const embedding = readNumber(cursor.child('symbol_embedding_dim'), { integer: true, min: 0, max: 1024 }, 0);
  if (
    architecture === undefined ||
    features === undefined ||
    training === undefined ||
    embedding === undefined
  ) {
    return undefined;
  }
  return {
    type,
    architecture,
    features,
    training,
    ...(embedding > 0 ? { symbol_embedding_dim: embedding } : {}),
  };
}

function readType(cursor: YamlCursor): 'mlp' | undefined {
  const value = cursor.value();
  if (typeof value === 'string' && UNSUPPORTED_MODEL_TYPES.includes(value.toLowerCase())) {
    cursor.report(`${value} models are not supported: this SDK trains MLP classifiers (type: mlp)`);
    return undefined;
  }
  return readChoice(cursor, ['mlp'] as const, 'mlp');
}

function readArchitecture(cursor: YamlCursor): ModelConfig['architecture'] | undefined {
  if (!expectMap(cursor)) return undefined;
  checkKeys(cursor, ['hidden_layers', 'activation', 'output_activation', 'dropout']);
  const defaults = DEFAULT_MODEL.architecture;
  const hidden = readHiddenLayers(cursor.child('hidden_layers'), defaults.hidden_layers);
  const activation = readChoice(cursor.child('activation'), ACTIVATIONS, defaults.activation);
  const outputActivation = readChoice(cursor.child('output_activation'), ['softmax'] as const, 'softmax');
  const dropout = readNumber(cursor.child('dropout'), { min: 0, below: 1 }, defaults.dropout);
  if (
    hidden === undefined ||
    activation === undefined ||
    outputActivation === undefined ||
    dropout === undefined
  ) {
    return undefined;
  }
  return { hidden_layers: hidden, activation, output_activation: outputActivation, dropout };
}

function readHiddenLayers(cursor: YamlCursor, fallback: readonly number[]): readonly number[] | undefined {
  if (cursor.missing) return fallback;
  const value = cursor.value();
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (units) => typeof units === 'number' && Number.isInteger(units) && units >= 1 && units <= 65_536,
    );
  if (valid) return value as number[];
  cursor.report(
    `must be a non-empty list of layer sizes (whole numbers >= 1), e.g. [64, 32] (got ${describeValue(value)})`,
  );
  return undefined;
}

function readFeatures(cursor: YamlCursor): ModelConfig['features'] | undefined {
  if (!expectMap(cursor)) return undefined;
  checkKeys(cursor, ['lookback_periods', 'scale_features', 'scaling_method'], CONTEXT_FEATURE_KEYS);
  for (const key of CONTEXT_FEATURE_KEYS) {
    const flag = readBoolean(cursor.child(key), false);
    if (flag === undefined) return undefined;
    if (flag) cursor.warnKey(key, 'is not applied: the model reads fuzzy memberships only');
  }
  const defaults = DEFAULT_MODEL.features;
  const lookback = readNumber(
    cursor.child('lookback_periods'),
    { integer: true, min: 0, max: 1000 },
    defaults.lookback_periods,
  );
  const scale = readBoolean(cursor.child('scale_features'), defaults.scale_features);
  const method = readChoice(
    cursor.child('scaling_method'),
    ['standard', 'minmax'] as const,
    defaults.scaling_method,
  );
  if (lookback === undefined || scale === undefined || method === undefined) return undefined;
  return { lookback_periods: lookback, scale_features: scale, scaling_method: method };
}

function readTraining(cursor: YamlCursor): ModelConfig['training'] | undefined {
  if (!expectMap(cursor)) return undefined;
  checkKeys(
    cursor,
    ['learning_rate', 'batch_size', 'epochs', 'optimizer', 'weight_decay', 'early_stopping', 'lr_scheduler'],
    ['analytics'],
  );
  if (!cursor.child('analytics').missing) {
    cursor.warnKey(
      'analytics',
      "Python KTRDR's training analytics exports are not produced (metrics.json holds the per-epoch history)",
    );
  }
  const defaults = DEFAULT_MODEL.training;
  const learningRate = readNumber(
    cursor.child('learning_rate'),
    { above: 0, max: 10 },
    defaults.learning_rate,
  );
  const batchSize = readNumber(
    cursor.child('batch_size'),
    { integer: true, min: 1, max: 1_000_000 },
    defaults.batch_size,
  );
  const epochs = readNumber(cursor.child('epochs'), { integer: true, min: 1, max: 100_000 }, defaults.epochs);
  const optimizer = readChoice(cursor.child('optimizer'), OPTIMIZERS, defaults.optimizer);
  const weightDecay = readNumber(cursor.child('weight_decay'), { min: 0, max: 1 }, defaults.weight_decay);
  const earlyStopping = readEarlyStopping(cursor.child('early_stopping'));
  const scheduleCursor = cursor.child('lr_scheduler');
  // `lr_scheduler: false` is Python's "none"; a schedule must say which (there is no default one).
  const off = scheduleCursor.value() === false;
  const schedule = scheduleCursor.missing || off ? undefined : readSchedule(scheduleCursor);
  if (
    learningRate === undefined ||
    batchSize === undefined ||
    epochs === undefined ||
    optimizer === undefined ||
    weightDecay === undefined ||
    earlyStopping === undefined ||
    (!scheduleCursor.missing && !off && schedule === undefined)
  ) {
    return undefined;
  }
  return {
    learning_rate: learningRate,
    batch_size: batchSize,
    epochs,
    optimizer,
    weight_decay: weightDecay,
    early_stopping: earlyStopping,
    ...(schedule === undefined ? {} : { lr_scheduler: schedule }),
  };
}

function readEarlyStopping(cursor: YamlCursor): ModelConfig['training']['early_stopping'] | undefined {
  if (!expectMap(cursor)) return undefined;
  checkKeys(cursor, ['enabled', 'patience', 'monitor', 'min_delta']);
  const defaults = DEFAULT_MODEL.training.early_stopping;
  const enabled = readBoolean(cursor.child('enabled'), defaults.enabled);
  const patience = readNumber(
    cursor.child('patience'),
    { integer: true, min: 1, max: 100_000 },
    defaults.patience,
  );
  const monitor = readChoice(
    cursor.child('monitor'),
    ['val_loss', 'val_accuracy'] as const,
    defaults.monitor,
  );
  const minDelta = readNumber(cursor.child('min_delta'), { min: 0 }, defaults.min_delta);
  if (enabled === undefined || patience === undefined || monitor === undefined || minDelta === undefined) {
    return undefined;
  }
  return { enabled, patience, monitor, min_delta: minDelta };
}

function readSchedule(cursor: YamlCursor): LearningRateSchedule | undefined {
  if (cursor.value() === true) {
    cursor.report(
      'true is not a schedule here: give {type: reduce_on_plateau | step | exponential, ...} (or false for none)',
    );
    return undefined;
  }
  if (!cursor.isMap) {
    cursor.report(
      `must be a mapping such as {type: reduce_on_plateau, factor: 0.5} (got ${describeValue(cursor.value())})`,
    );
    return undefined;
  }
  const type = readChoice(
    cursor.child('type'),
    ['reduce_on_plateau', 'step', 'exponential'] as const,
    'reduce_on_plateau',
  );
  switch (type) {
    case 'reduce_on_plateau': {
      checkKeys(cursor, ['type', 'factor', 'patience', 'min_lr']);
      const factor = readNumber(cursor.child('factor'), { above: 0, below: 1 }, 0.5);
      const patience = readNumber(cursor.child('patience'), { integer: true, min: 1 }, 5);
      const minLr = readNumber(cursor.child('min_lr'), { min: 0 }, 0);
      if (factor === undefined || patience === undefined || minLr === undefined) return undefined;
      return { type, factor, patience, min_lr: minLr };
    }
    case 'step': {
      checkKeys(cursor, ['type', 'step_size', 'gamma']);
      const stepSize = readNumber(cursor.child('step_size'), { integer: true, min: 1 }, 10);
      const gamma = readNumber(cursor.child('gamma'), { above: 0, max: 1 }, 0.1);
      if (stepSize === undefined || gamma === undefined) return undefined;
      return { type, step_size: stepSize, gamma };
    }
    case 'exponential': {
      checkKeys(cursor, ['type', 'gamma']);
      const gamma = readNumber(cursor.child('gamma'), { above: 0, max: 1 }, 0.95);
      return gamma === undefined ? undefined : { type, gamma };
    }
    default:
      return undefined;
  }
}
