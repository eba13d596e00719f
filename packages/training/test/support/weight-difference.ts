import type { MlpWeights } from '../../src/model/mlp-weights';

/** The largest absolute difference between two models' weights of the same shape. */
export function maxWeightDifference(a: MlpWeights, b: MlpWeights): number {
  let max = 0;
  a.layers.forEach((layer, i) => {
    const other = b.layers[i]!;
    layer.kernel.forEach((v, j) => (max = Math.max(max, Math.abs(v - other.kernel[j]!))));
    layer.bias.forEach((v, j) => (max = Math.max(max, Math.abs(v - other.bias[j]!))));
  });
  a.embedding?.table.forEach((v, j) => (max = Math.max(max, Math.abs(v - b.embedding!.table[j]!))));
  return max;
}
