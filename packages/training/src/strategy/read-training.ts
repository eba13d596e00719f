import { DEFAULT_TRAINING } from './defaults';
import { checkKeys, expectMap, readChoice, readNumber } from './field-readers';
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
  // `method` and `fitness_metrics` are Python KTRDR fields with nothing to configure here.
  checkKeys(cursor, ['labels', 'data_split'], ['method', 'fitness_metrics']);
  const labels = readLabels(cursor.child('labels'));
  const split = readSplit(cursor.child('data_split'));
  return labels === undefined || split === undefined ? undefined : { labels, data_split: split };
}

function readLabels(cursor: YamlCursor): TrainingSectionConfig['labels'] | undefined {
  if (!expectMap(cursor)) return undefined;
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
