import { trainMlp } from '../packages/training/src/trainer/train-mlp';
import type { MlpConfig } from '../packages/training/src/model/mlp-config';
function data(rows: number, features: number, seed: number) {
  let s = seed; const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const x = new Float32Array(rows * features), y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) { let a = 0; for (let f = 0; f < features; f++) { const v = r() * 2 - 1; x[i * features + f] = v; if (f < 3) a += v; } y[i] = a > 0.4 ? 0 : a < -0.4 ? 2 : 1; }
  return { x, y, rows, features };
}
const train = data(600, 10, 1), validation = data(200, 10, 2), test = data(200, 10, 3);
for (const act of ['relu', 'tanh', 'sigmoid', 'elu'] as const) for (const opt of ['adam', 'sgd', 'rmsprop'] as const) for (const dropout of [0, 0.3]) {
  const config: MlpConfig = { hiddenLayers: [13, 6], activation: act, dropout, learningRate: opt === 'sgd' ? 0.1 : 0.01, batchSize: 32, epochs: 3, optimizer: opt, seed: 42 };
  const a = await trainMlp({ train, validation, test }, config, { engine: 'cpu-fused', kernels: 'wasm-simd' });
  const b = await trainMlp({ train, validation, test }, config, { engine: 'cpu-fused', kernels: 'js' });
  const c = await trainMlp({ train, validation, test }, config, { engine: 'tfjs', backend: 'cpu' });
  const diff = (u: typeof a, v: typeof a) => Math.max(...u.weights.layers.flatMap((l, i) => [...l.kernel].map((k, j) => Math.abs(k - v.weights.layers[i]!.kernel[j]!))));
  console.log(act, opt, dropout, 'wasm-js', diff(a, b).toExponential(1), 'wasm-tfjs', diff(a, c).toExponential(1), 'loss', a.history.map((h) => h.loss.toFixed(3)).join(','), c.history.map((h) => h.loss.toFixed(3)).join(','), 'testacc', a.test!.accuracy.toFixed(3), c.test!.accuracy.toFixed(3));
}
