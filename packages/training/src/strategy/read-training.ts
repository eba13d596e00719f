import { DEFAULT_TRAINING } from './defaults';
import { checkKeys, expectMap, readChoice, readNumber } from './field-readers';
import { describeValue } from './problems';
import type { TrainingSectionConfig } from './types';
import type { YamlCursor } from './yaml-cursor';

/** How far from 1 the split fractions may sum (YAML decimals such as 0.7 + 0.15 + 0.15 are inexact). */
const SPLIT_TOLERANCE = 1e-6;

/**
 * Reads the top-level `training` section (labels and data split), defaults from
 * {@link DEFAULT_TRAINING}. Returns undefined when any field was reported.
 * @internal
 */
export function readTrainingSection(cursor: YamlCursor): TrainingSectionConfig | undefined {
  if (!expectMap(cursor)) return undefined;
  let ok = true;
  for (const [key, child] of cursor.entries()) {
    const problem = unsupportedKey(key, child.value());
    if (problem !== undefined) {
      cursor.reportKey(key, problem);
      ok = false;
    }
  }
  // `fitness_metrics` names what Python reported; metrics.json holds all of them.
  checkKeys(
    cursor,
    ['labels', 'data_split'],
    ['method', 'fitness_metrics', 'loss', 'date_range', ...MODEL_TRAINING_KEYS, ...UNSUPPORTED_KEYS],
  );
  if (!cursor.child('date_range').missing) {
    cursor.warnKey(
      'date_range',
      'is not applied: training reads the stored bars between the start and end dates of the request (--start-date / --end-date)',
    );
  }
  const labels = readLabels(cursor.child('labels'));
  const split = readSplit(cursor.child('data_split'));
  return labels === undefined || split === undefined || !ok ? undefined : { labels, data_split: split };
}

/** Settings Python KTRDR v3 files put in `training`, which this SDK reads from `model.training`. */
const MODEL_TRAINING_KEYS = [
  'epochs',
  'learning_rate',
  'batch_size',
  'optimizer',
  'early_stopping',
  'lr_scheduler',
];

/** Python KTRDR v3 training options this SDK does not have. */
const UNSUPPORTED_KEYS = ['gradient_clip', 'focal_gamma', 'huber_delta', 'class_weights'];

/** Why `training.<key>` cannot be honoured, or undefined when it can. */
function unsupportedKey(key: string, value: unknown): string | undefined {
  if (MODEL_TRAINING_KEYS.includes(key)) return `set ${key} under model.training, where this SDK reads it`;
  if (UNSUPPORTED_KEYS.includes(key)) return `${key} is not supported (training uses plain cross-entropy)`;
  if (key === 'method' && value !== 'supervised') {
    return `must be supervised, the only training method here (got ${describeValue(value)})`;
  }
  if (key === 'loss' && value !== 'cross_entropy') {
    return `loss ${describeValue(value)} is not supported: models are BUY/HOLD/SELL classifiers trained with cross_entropy`;
  }
  return undefined;
}

/** Label kinds Python KTRDR knows and this SDK does not build. */
const UNSUPPORTED_LABELS = ['triple_barrier', 'forward_return', 'context', 'regime', 'multi_scale_zigzag'];

function readLabels(cursor: YamlCursor): TrainingSectionConfig['labels'] | undefined {
  if (!expectMap(cursor)) return undefined;
  const sourceValue = cursor.child('source').value();
  if (typeof sourceValue === 'string' && UNSUPPORTED_LABELS.includes(sourceValue.toLowerCase())) {
    cursor
      .child('source')
      .report(`${sourceValue} labels are not supported: this SDK labels ZigZag swings (source: zigzag)`);
    return undefined;
  }
  checkKeys(cursor, ['source', 'zigzag_threshold', 'label_lookahead']);
  const defaults = DEFAULT_TRAINING.labels;
  const source = readChoice(cursor.child('source'), ['zigzag'] as const, 'zigzag');
  const threshold = readNumber(
    cursor.child('zigzag_threshold'),
    { above: 0, below: 1 },
    defaults.zigzag_threshold,
  );
  const lookahead = readNumber(
    cursor.child('label_lookahead'),
    { integer: true, min: 1, max: 1_000_000 },
    defaults.label_lookahead,
  );
  if (source === undefined || threshold === undefined || lookahead === undefined) return undefined;
  return { source, zigzag_threshold: threshold, label_lookahead: lookahead };
}

function readSplit(cursor: YamlCursor): TrainingSectionConfig['data_split'] | undefined {
  if (cursor.missing) return DEFAULT_TRAINING.data_split;
  if (!expectMap(cursor)) return undefined;
  checkKeys(cursor, ['train', 'validation', 'test']);
  const parts = (['train', 'validation', 'test'] as const).map((name) => {
    const part = cursor.child(name);
    if (part.missing) {
      cursor.report('is required: give train, validation and test together', part.path);
      return undefined;
    }
    return readNumber(part, name === 'train' ? { above: 0, max: 1 } : { min: 0, max: 1 });
  });
  const [train, validation, test] = parts;
  if (train === undefined || validation === undefined || test === undefined) return undefined;
  const sum = train + validation + test;
  if (Math.abs(sum - 1) > SPLIT_TOLERANCE) {
    cursor.report(
      `train + validation + test must sum to 1 (got ${train} + ${validation} + ${test} = ${+sum.toFixed(10)})`,
    );
    return undefined;
  }
  return { train, validation, test };
}
