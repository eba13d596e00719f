import type { FittedScaler } from './scaler';

/**
 * Feature columns (one Float64Array per column, NaN for a missing value) to model rows without a
 * row-major double-precision copy: which bars are complete, a scaler fitted on some of them, and
 * the Float32 rows scaled on the way. Every pass reads the columns sequentially; scaling happens in
 * double precision before the one conversion to Float32, as `applyScaler` does.
 * @internal
 */

/** Indices of the bars whose every column is finite. */
export function completeBarIndex(columns: readonly Float64Array[], bars: number): Int32Array {
  const complete = new Uint8Array(bars).fill(1);
  for (const column of columns) {
    for (let i = 0; i < bars; i++) if (!Number.isFinite(column[i]!)) complete[i] = 0;
  }
  let count = 0;
  for (let i = 0; i < bars; i++) count += complete[i]!;
  const index = new Int32Array(count);
  for (let i = 0, at = 0; i < bars; i++) if (complete[i] === 1) index[at++] = i;
  return index;
}

/** Columns and the bars (indices into them) of one source of rows, e.g. one symbol's train rows. */
export interface ColumnRows {
  readonly columns: readonly Float64Array[];
  readonly bars: Int32Array;
}

/**
 * Fits a scaler on the rows of every source, in order (as if they were stacked). A constant
 * column gets scale 1.
 * @throws RangeError when there are no rows.
 */
export function fitScalerOnColumns(
  sources: readonly ColumnRows[],
  width: number,
  method: FittedScaler['method'],
): FittedScaler {
  const count = sources.reduce((sum, s) => sum + s.bars.length, 0);
  if (count <= 0) throw new RangeError('cannot fit a scaler on zero rows');
  const offset = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(1);
  for (let c = 0; c < width; c++) {
    if (method === 'standard') {
      // One pass: sums of the values and their squares about a shift (the first value), which keeps
      // the variance exact enough for values of similar magnitude (memberships are in [0, 1]).
      const shift = firstValue(sources, c);
      let sum = 0;
      let squares = 0;
      for (const { columns, bars } of sources) {
        const column = columns[c]!;
        for (let r = 0; r < bars.length; r++) {
          const d = column[bars[r]!]! - shift;
          sum += d;
          squares += d * d;
        }
      }
      const variance = Math.max(0, (squares - (sum * sum) / count) / count);
      const std = Math.sqrt(variance);
      offset[c] = shift + sum / count;
      // Below float rounding of the values: a constant column (scale 1, centred to 0).
      scale[c] = std > 1e-12 * Math.max(1, Math.abs(offset[c]!)) ? std : 1;
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const { columns, bars } of sources) {
        const column = columns[c]!;
        for (let r = 0; r < bars.length; r++) {
          const x = column[bars[r]!]!;
          if (x < min) min = x;
          if (x > max) max = x;
        }
      }
      offset[c] = min;
      scale[c] = max > min ? max - min : 1;
    }
  }
  return { method, offset, scale };
}

function firstValue(sources: readonly ColumnRows[], c: number): number {
  const source = sources.find((s) => s.bars.length > 0)!;
  return source.columns[c]![source.bars[0]!]!;
}

/** Rows per block when packing: a block's output stays in cache while each column is written. */
const BLOCK_ROWS = 256;

/**
 * Writes the rows `source.bars` of `source.columns` into row-major `out`, starting at row
 * `firstRow`, scaled by `scaler` when given.
 */
export function packRows(
  source: ColumnRows,
  scaler: FittedScaler | null,
  out: Float32Array,
  firstRow: number,
): void {
  const { columns, bars } = source;
  const width = columns.length;
  for (let block = 0; block < bars.length; block += BLOCK_ROWS) {
    const end = Math.min(bars.length, block + BLOCK_ROWS);
    for (let c = 0; c < width; c++) {
      const column = columns[c]!;
      const offset = scaler === null ? 0 : scaler.offset[c]!;
      const scale = scaler === null ? 1 : scaler.scale[c]!;
      let at = (firstRow + block) * width + c;
      for (let r = block; r < end; r++, at += width) out[at] = (column[bars[r]!]! - offset) / scale;
    }
  }
}
