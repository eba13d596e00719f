/**
 * Triangular membership `[a, b, c]`: 0 at and outside `a` and `c`, 1 at `b`, linear in between.
 * With `a = b` (or `b = c`) the set starts (ends) at full membership, as in Python KTRDR; values
 * outside `[a, c]` are still 0, so a "shoulder" needs a trapezoid. NaN in gives NaN out.
 */
export function triangularMembership(values: Float64Array, [a, b, c]: readonly number[]): Float64Array {
  if (a === undefined || b === undefined || c === undefined)
    throw new TypeError('triangular needs [a, b, c]');
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) out[i] = NaN;
    else if (x === b) out[i] = 1;
    else if (x <= a || x >= c) out[i] = 0;
    else out[i] = x < b ? (x - a) / (b - a) : (c - x) / (c - b);
  }
  return out;
}
