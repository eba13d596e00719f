import type { RowRange } from '../labels/data-split';

/**
 * A fitted per-column affine scaler, `(x - offset) / scale`, stored as plain numbers so it can be
 * saved in `features.json` and applied to new bars exactly as in training.
 */
export interface FittedScaler {
  /** `standard`: offset = mean, scale = population std; `minmax`: offset = min, scale = max - min. */
  readonly method: 'standard' | 'minmax';
  readonly offset: readonly number[];
  readonly scale: readonly number[];
}

/**
 * Fits a scaler on the rows `fitRows` of a row-major `matrix` with `columns` columns. Only those rows
 * are read, so fitting on the train split keeps validation and test statistics out of training.
 * A constant column gets scale 1 (it becomes 0 after centring) instead of a division by zero.
 */
export function fitScaler(
  matrix: Float64Array,
  columns: number,
  fitRows: RowRange,
  method: FittedScaler['method'],
): FittedScaler {
  const count = fitRows.end - fitRows.start;
  if (count <= 0) throw new RangeError('cannot fit a scaler on zero rows');
  const offset = new Array<number>(columns).fill(0);
  const scale = new Array<number>(columns).fill(1);
  for (let c = 0; c < columns; c++) {
    if (method === 'standard') {
      let sum = 0;
      for (let r = fitRows.start; r < fitRows.end; r++) sum += matrix[r * columns + c]!;
      const mean = sum / count;
      let squares = 0;
      for (let r = fitRows.start; r < fitRows.end; r++) squares += (matrix[r * columns + c]! - mean) ** 2;
      const std = Math.sqrt(squares / count);
      offset[c] = mean;
      scale[c] = std > 0 ? std : 1;
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (let r = fitRows.start; r < fitRows.end; r++) {
        const x = matrix[r * columns + c]!;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      offset[c] = min;
      scale[c] = max > min ? max - min : 1;
    }
  }
  return { method, offset, scale };
}

/** Applies `scaler` to every row of a row-major `matrix`, in place. */
export function applyScaler(matrix: Float64Array, columns: number, scaler: FittedScaler): void {
  if (scaler.offset.length !== columns || scaler.scale.length !== columns) {
    throw new RangeError(`scaler fitted for ${scaler.offset.length} columns applied to ${columns}`);
  }
  for (let i = 0; i < matrix.length; i++) {
    const c = i % columns;
    matrix[i] = (matrix[i]! - scaler.offset[c]!) / scaler.scale[c]!;
  }
}
