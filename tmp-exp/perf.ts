import { trainMlp } from '../packages/training/src/trainer/train-mlp';
const N = 100000, F = 36; let s = 1; const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const x = new Float32Array(N * F).map(() => r() * 2 - 1), y = new Int32Array(N).map(() => Math.floor(r() * 3));
for (const kernels of (process.argv[2] === 'js' ? ['js'] : ['wasm-simd', 'wasm-simd', 'wasm-simd']) as ('js' | 'wasm-simd')[]) {
  const res = await trainMlp({ train: { x, y, rows: N, features: F } }, { hiddenLayers: [64, 32], activation: 'relu', dropout: 0.2, learningRate: 1e-3, batchSize: 256, epochs: 3, optimizer: 'adam', seed: 1 }, { engine: 'cpu-fused', kernels });
  console.log(kernels, Math.round(res.samplesPerSecond), res.history.map((h) => Math.round(h.durationMs)).join(','));
}
