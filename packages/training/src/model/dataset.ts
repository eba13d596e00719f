import { ValidationError } from '@ktrdr/core';
import { OUTPUT_UNITS } from './mlp-config';

/** One split of a labelled dataset: `rows x features` inputs, row-major, and one class per row. */
export interface DatasetSplit {
  /** Row-major inputs, `rows * features` values. */
  x: Float32Array;
  /** Class of each row: 0 = BUY, 1 = HOLD, 2 = SELL. */
  y: Int32Array;
  rows: number;
  features: number;
  /**
   * Symbol index of each row, for multi-symbol data: training batches are balanced across symbols
   * and test metrics are also reported per symbol.
   */
  groups?: Int32Array;
}

/** The chronological splits a model is trained on; `validation` and `test` are optional. */
export interface TrainingData {
  train: DatasetSplit;
  validation?: DatasetSplit;
  test?: DatasetSplit;
}

/**
 * Checks shapes, labels and values of every split (NaN or infinite inputs would silently poison
 * training, so they are refused here with the row and column). Returns the feature count.
 */
export function validateTrainingData(data: TrainingData): number {
  const features = data.train.features;
  for (const name of ['train', 'validation', 'test'] as const) {
    const split = data[name];
    if (split === undefined) continue;
    validateSplit(split, name, features);
  }
  if (data.train.rows === 0)
    throw new ValidationError('Training split is empty', { details: { field: 'train.rows' } });
  return features;
}

/** Validates one split; `expectedFeatures` is the feature count of the training split. */
export function validateSplit(split: DatasetSplit, name: string, expectedFeatures?: number): void {
  const { x, y, rows, features } = split;
  if (!Number.isInteger(rows) || rows < 0)
    fail(`${name}.rows`, `must be a non-negative integer (got ${rows})`);
  if (!Number.isInteger(features) || features < 1) {
    fail(`${name}.features`, `must be a positive integer (got ${features})`);
  }
  if (expectedFeatures !== undefined && features !== expectedFeatures) {
    fail(`${name}.features`, `is ${features} but the training split has ${expectedFeatures} features`);
  }
  if (!(x instanceof Float32Array)) fail(`${name}.x`, 'must be a Float32Array');
  if (!(y instanceof Int32Array)) fail(`${name}.y`, 'must be an Int32Array');
  if (x.length !== rows * features) {
    fail(`${name}.x`, `has ${x.length} values, expected rows * features = ${rows * features}`);
  }
  if (y.length !== rows) fail(`${name}.y`, `has ${y.length} labels, expected ${rows}`);
  if (split.groups !== undefined && split.groups.length !== rows) {
    fail(`${name}.groups`, `has ${split.groups.length} entries, expected ${rows}`);
  }
  for (let i = 0; i < rows; i++) {
    const label = y[i]!;
    if (label < 0 || label >= OUTPUT_UNITS) {
      fail(`${name}.y`, `row ${i} has label ${label}; labels must be 0 (BUY), 1 (HOLD) or 2 (SELL)`);
    }
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      const row = Math.floor(i / features);
      fail(`${name}.x`, `row ${row} column ${i - row * features} is ${x[i]}; inputs must be finite`);
    }
  }
}

function fail(field: string, message: string): never {
  throw new ValidationError(`Invalid training data: ${field} ${message}`, { details: { field } });
}
