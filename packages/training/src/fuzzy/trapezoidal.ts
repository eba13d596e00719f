/**
 * Trapezoidal membership `[a, b, c, d]`: 0 at and outside `a` and `d`, 1 on the plateau `[b, c]`,
 * linear on the edges. NaN in gives NaN out.
 */
export function trapezoidalMembership(values: Float64Array, [a, b, c, d]: readonly number[]): Float64Array {
  if (a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new TypeError('trapezoidal needs [a, b, c, d]');
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) out[i] = NaN;
    else if (x >= b && x <= c) out[i] = 1;
    else if (x <= a || x >= d) out[i] = 0;
    else out[i] = x < b ? (x - a) / (b - a) : (d - x) / (d - c);
  }
  return out;
}
