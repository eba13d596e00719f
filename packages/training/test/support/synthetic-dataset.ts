import type { DatasetSplit } from '../../src/model/dataset';

/**
 * A learnable 3-class problem: the class is decided by the sum of the first three features
 * (above +0.4: BUY, below -0.4: SELL, else HOLD); the other features are noise. HOLD is the
 * majority class (~45%), so a model must learn the rule to beat the majority baseline.
 */
export function syntheticSplit(rows: number, features: number, seed: number): DatasetSplit {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let signal = 0;
    for (let f = 0; f < features; f++) {
      const v = random() * 2 - 1;
      x[i * features + f] = v;
      if (f < 3) signal += v;
    }
    y[i] = signal > 0.4 ? 0 : signal < -0.4 ? 2 : 1;
  }
  return { x, y, rows, features };
}

/** Share of the most frequent class: the accuracy of always predicting it. */
export function majorityBaseline(y: Int32Array): number {
  const counts = [0, 0, 0];
  for (const label of y) counts[label]!++;
  return Math.max(...counts) / y.length;
}
