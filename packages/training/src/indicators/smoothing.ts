/**
 * Moving-average kernels shared by the indicators. All of them treat a leading run of NaN as
 * warm-up (the output of an upstream indicator) and start once `period` finite values are in.
 * @internal
 */

/**
 * Simple moving average over the last `period` values. A window holding any NaN gives NaN, so a
 * gap in the input never produces a half-informed average.
 */
export function rollingMean(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  let sum = 0;
  let nanCount = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) nanCount++;
    else sum += x;
    if (i >= period) {
      const old = values[i - period]!;
      if (Number.isNaN(old)) nanCount--;
      else sum -= old;
    }
    if (i >= period - 1 && nanCount === 0) out[i] = sum / period;
  }
  return out;
}

/**
 * Exponential smoothing `s[i] = s[i-1] + alpha * (x[i] - s[i-1])`, seeded with the simple mean of the
 * first `period` finite values, so the first output sits at the `period`-th finite input. This is the
 * seed technicalindicators and TA-Lib use; pandas' `ewm(adjust=False)` (the Python KTRDR code) seeds
 * with the first value instead, which only differs during the first few periods.
 *
 * A NaN after the start yields NaN at that bar and leaves the state untouched.
 */
export function seededSmoothing(values: Float64Array, period: number, alpha: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  let start = 0;
  while (start < n && Number.isNaN(values[start]!)) start++;
  const seedEnd = start + period - 1;
  if (seedEnd >= n) return out;
  let state = 0;
  for (let i = start; i <= seedEnd; i++) {
    const x = values[i]!;
    // A gap inside the seed window: restart the seed after it rather than seed on partial data.
    if (Number.isNaN(x)) return concatNaN(i + 1, seededSmoothing(values.subarray(i + 1), period, alpha), n);
    state += x;
  }
  state /= period;
  out[seedEnd] = state;
  for (let i = seedEnd + 1; i < n; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    state += alpha * (x - state);
    out[i] = state;
  }
  return out;
}

/** Exponential moving average, `alpha = 2 / (period + 1)`, SMA-seeded. */
export function exponentialAverage(values: Float64Array, period: number): Float64Array {
  return seededSmoothing(values, period, 2 / (period + 1));
}

/**
 * Wilder's moving average (RMA, "smoothed moving average"), `alpha = 1 / period`, SMA-seeded: the
 * smoothing RSI, ATR and ADX are defined with.
 */
export function wilderAverage(values: Float64Array, period: number): Float64Array {
  return seededSmoothing(values, period, 1 / period);
}

function concatNaN(offset: number, tail: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  out.set(tail, offset);
  return out;
}
