import { ValidationError } from '@ktrdr/core';

/** Half-open row range `[start, end)`. */
export interface RowRange {
  readonly start: number;
  readonly end: number;
}

/** Three consecutive, non-overlapping row ranges covering all rows in time order. */
export interface DataSplit {
  readonly train: RowRange;
  readonly validation: RowRange;
  readonly test: RowRange;
}

/** Fractions of the rows for each part; they must sum to 1. */
export interface SplitFractions {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/**
 * Splits `rows` chronologically: the first `floor(rows * train)` rows train, the next
 * `floor(rows * validation)` validate, the rest test (Python KTRDR's rounding). No row is shuffled
 * across a boundary, so validation and test always lie after everything trained on.
 * @throws ValidationError when a fraction is outside [0, 1] or they do not sum to 1.
 */
export function chronologicalSplit(rows: number, fractions: SplitFractions): DataSplit {
  const { train, validation, test } = fractions;
  const parts = [train, validation, test];
  if (parts.some((part) => !(part >= 0 && part <= 1)) || Math.abs(train + validation + test - 1) > 1e-6) {
    throw new ValidationError(
      `data_split fractions must each be in [0, 1] and sum to 1 (got ${train}, ${validation}, ${test})`,
      { details: { field: 'training.data_split' } },
    );
  }
  // The epsilon keeps 0.7 * 1000 = 699.9999999999999 from losing a row to float rounding.
  const trainEnd = Math.floor(rows * train + 1e-9);
  const validationEnd = trainEnd + Math.floor(rows * validation + 1e-9);
  return {
    train: { start: 0, end: trainEnd },
    validation: { start: trainEnd, end: validationEnd },
    test: { start: validationEnd, end: rows },
  };
}
