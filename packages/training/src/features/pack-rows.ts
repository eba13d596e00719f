import type { FittedScaler } from './scaler';

/**
 * Feature columns to model rows without a row-major double-precision copy: which bars are
 * complete, a scaler fitted on some of them, and the Float32 rows scaled on the way (in double
 * precision before the one conversion to Float32).
 *
 * A column of a higher timeframe is a view: its values over its own bars, and for each base bar
 * the index of the bar it shows (-1: none yet). Completeness and the scaler are computed on the
 * own bars (each weighted by how many base rows show it), so a 1d column costs a 24th of a 1h one
 * until the rows are written.
 * @internal
 */
export interface ColumnView {
  readonly values: Float64Array;
  /** Per base bar, the index into `values` it shows; absent: `values` is over the base bars. */
  readonly index?: Int32Array | undefined;
}

/** Indices of the base bars (of `bars`) whose every column has a finite value. */
export function completeBarIndex(columns: readonly ColumnView[], bars: number): Int32Array {
  const complete = new Uint8Array(bars).fill(1);
  const byIndex = new Map<Int32Array, Float64Array[]>();
  for (const { values, index } of columns) {
    if (index === undefined) {
      for (let i = 0; i < bars; i++) if (!Number.isFinite(values[i]!)) complete[i] = 0;
    } else {
      byIndex.set(index, [...(byIndex.get(index) ?? []), values]);
    }
  }
  for (const [index, group] of byIndex) {
    const own = new Uint8Array(group[0]!.length).fill(1);
    for (const values of group) {
      for (let j = 0; j < values.length; j++) if (!Number.isFinite(values[j]!)) own[j] = 0;
    }
    for (let i = 0; i < bars; i++) {
      const j = index[i]!;
      if (j < 0 || own[j] === 0) complete[i] = 0;
    }
  }
  let count = 0;
  for (let i = 0; i < bars; i++) count += complete[i]!;
  const out = new Int32Array(count);
  for (let i = 0, at = 0; i < bars; i++) if (complete[i] === 1) out[at++] = i;
  return out;
}

/** Columns and the base bars (indices into them) of one source of rows, e.g. one symbol's train rows. */
export interface ColumnRows {
  readonly columns: readonly ColumnView[];
  readonly bars: Int32Array;
}

/**
 * Fits a scaler on the rows of every source, as if they were stacked. A constant column gets
 * scale 1 (it becomes 0 after centring).
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
  // Per timeframe view (its index) and source rows: how many rows show each own bar.
  const weights = new Map<Int32Array, Map<Int32Array, Float64Array>>();
  const weightsOf = (index: Int32Array, bars: Int32Array, length: number) => {
    const byRows = weights.get(index) ?? new Map<Int32Array, Float64Array>();
    weights.set(index, byRows);
    let w = byRows.get(bars);
    if (w === undefined) {
      w = new Float64Array(length);
      for (let r = 0; r < bars.length; r++) w[index[bars[r]!]!]! += 1;
      byRows.set(bars, w);
    }
    return w;
  };
  for (let c = 0; c < width; c++) {
    // Each source's rows as (value, weight) pairs: base columns weigh 1 per row, views weigh each
    // own bar by the rows that show it. The loops are written out (no callback): this is hot.
    let shift = NaN;
    let sum = 0;
    let squares = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const { columns, bars } of sources) {
      const { values, index } = columns[c]!;
      const w = index === undefined ? undefined : weightsOf(index, bars, values.length);
      const n = w === undefined ? bars.length : w.length;
      if (Number.isNaN(shift) && n > 0)
        shift = w === undefined ? values[bars[0]!]! : values[index![bars[0]!]!]!;
      for (let k = 0; k < n; k++) {
        const weight = w === undefined ? 1 : w[k]!;
        if (weight === 0) continue;
        const value = w === undefined ? values[bars[k]!]! : values[k]!;
        if (method === 'standard') {
          // Sums about a shift (the first value): one pass, and the variance stays exact enough
          // for values of similar magnitude (memberships are in [0, 1]).
          const d = value - shift;
          sum += weight * d;
          squares += weight * d * d;
        } else {
          if (value < min) min = value;
          if (value > max) max = value;
        }
      }
    }
    if (method === 'standard') {
      const std = Math.sqrt(Math.max(0, (squares - (sum * sum) / count) / count));
      offset[c] = shift + sum / count;
      scale[c] = std > 1e-12 * Math.max(1, Math.abs(offset[c]!)) ? std : 1;
    } else {
      offset[c] = min;
      scale[c] = max > min ? max - min : 1;
    }
  }
  return { method, offset, scale };
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
      const { values, index } = columns[c]!;
      const offset = scaler === null ? 0 : scaler.offset[c]!;
      // A multiplication per value rather than a division: the same in Float32 but for rare
      // last-bit ties, and training and inference both pack through here.
      const inverse = scaler === null ? 1 : 1 / scaler.scale[c]!;
      let at = (firstRow + block) * width + c;
      if (index === undefined) {
        for (let r = block; r < end; r++, at += width) out[at] = (values[bars[r]!]! - offset) * inverse;
      } else {
        for (let r = block; r < end; r++, at += width)
          out[at] = (values[index[bars[r]!]!]! - offset) * inverse;
      }
    }
  }
}
