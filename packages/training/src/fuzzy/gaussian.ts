/** Gaussian membership `[mu, sigma]`: `exp(-((x - mu) / sigma)^2 / 2)`, 1 at `mu`. NaN gives NaN. */
export function gaussianMembership(values: Float64Array, [mu, sigma]: readonly number[]): Float64Array {
  if (mu === undefined || sigma === undefined) throw new TypeError('gaussian needs [mu, sigma]');
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const z = (values[i]! - mu) / sigma;
    out[i] = Math.exp(-0.5 * z * z);
  }
  return out;
}
