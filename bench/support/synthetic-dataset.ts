import type { DatasetSplit } from '../../packages/training/src/model/dataset';

/**
 * The standard training workload's data: `rows` x `features` uniform values in [-1, 1) from a seeded
 * LCG, labelled by a learnable 3-class rule on the sum of the first four features (> 0.5: class 0,
 * < -0.5: class 2, else 1). The same seed gives the same rows on every machine, and the PyTorch side
 * of bench/train reads the very same rows from a file.
 */
export function syntheticDataset(rows: number, features: number, seed: number): DatasetSplit {
  let s = seed;
  const random = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let signal = 0;
    for (let f = 0; f < features; f++) {
      const v = random() * 2 - 1;
      x[i * features + f] = v;
      if (f < 4) signal += v;
    }
    y[i] = signal > 0.5 ? 0 : signal < -0.5 ? 2 : 1;
  }
  return { x, y, rows, features };
}
