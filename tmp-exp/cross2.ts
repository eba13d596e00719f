import { trainMlp } from '../packages/training/src/trainer/train-mlp';
import type { MlpConfig } from '../packages/training/src/model/mlp-config';
function data(rows: number, features: number, seed: number) {
  let s = seed; const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const x = new Float32Array(rows * features), y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) { let a = 0; for (let f = 0; f < features; f++) { const v = r() * 2 - 1; x[i * features + f] = v; if (f < 3) a += v; } y[i] = a > 0.4 ? 0 : a < -0.4 ? 2 : 1; }
  return { x, y, rows, features };
}
const train = data(600, 10, 1);
for (const epochs of [1, 2, 3]) {
const config: MlpConfig = { hiddenLayers: [13, 6], activation: 'relu', dropout: 0, learningRate: 0.01, batchSize: 32, epochs, optimizer: 'adam', seed: 42 };
const a = await trainMlp({ train }, config, { engine: 'cpu-fused', kernels: 'wasm-simd' });
const c = await trainMlp({ train }, config, { engine: 'tfjs', backend: 'cpu' });
a.weights.layers.forEach((l, i) => { let md = 0, at = -1; l.kernel.forEach((k, j) => { const d = Math.abs(k - c.weights.layers[i]!.kernel[j]!); if (d > md) { md = d; at = j; } }); let bd = 0; l.bias.forEach((b, j) => bd = Math.max(bd, Math.abs(b - c.weights.layers[i]!.bias[j]!)));
  console.log(epochs, 'layer', i, 'kernel maxdiff', md.toExponential(2), 'at', at, 'row', Math.floor(at / l.units), 'unit', at % l.units, 'bias maxdiff', bd.toExponential(2)); });
}
