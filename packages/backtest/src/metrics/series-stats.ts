/** Plain statistics over number arrays, in one pass each (the metrics' building blocks). @internal */

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Standard deviation with `ddof` 0 (population) or 1 (sample); NaN with too few values. */
export function std(values: ArrayLike<number>, ddof: 0 | 1): number {
  const n = values.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i]! - m) ** 2;
  return Math.sqrt(sum / (n - ddof));
}

/** Per-bar simple returns of an equity curve: `e[k] / e[k-1] - 1`, k = 1 .. n-1. */
export function barReturns(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, equity.length - 1));
  for (let k = 1; k < equity.length; k++) out[k - 1] = equity[k]! / equity[k - 1]! - 1;
  return out;
}

/** The largest drawdown of a curve, absolute and as a fraction of its peak, and the longest time under water. */
export interface Drawdown {
  /** Largest `peak - equity`. */
  abs: number;
  /** Largest `(peak - equity) / peak`. */
  pct: number;
  /** Longest run from a peak to the first point back at or above it (or the end), in points. */
  durationBars: number;
  /** The same in time (`times[recovery] - times[peak]`). */
  durationMs: number;
}

/** {@link Drawdown} of `equity`, stamped by `times`. */
export function drawdown(equity: ArrayLike<number>, times: ArrayLike<number>): Drawdown {
  let peak = -Infinity;
  let peakAt = 0;
  let underwater = false;
  let abs = 0;
  let pct = 0;
  let durationBars = 0;
  let durationMs = 0;
  const run = (end: number) => {
    if (end - peakAt > durationBars) {
      durationBars = end - peakAt;
      durationMs = times[end]! - times[peakAt]!;
    }
  };
  for (let k = 0; k < equity.length; k++) {
    const e = equity[k]!;
    if (e >= peak) {
      if (underwater) run(k);
      underwater = false;
      peak = e;
      peakAt = k;
    } else {
      underwater = true;
      abs = Math.max(abs, peak - e);
      pct = Math.max(pct, (peak - e) / peak);
    }
  }
  if (underwater) run(equity.length - 1);
  return { abs, pct, durationBars, durationMs };
}
