import { TrainingWorkerPool } from '../packages/training/src/worker/training-worker-pool';
function data(rows: number, f: number) { const x = new Float32Array(rows * f).map((_, i) => Math.sin(i)); const y = new Int32Array(rows).map((_, i) => i % 3); return { x, y, rows, features: f }; }
for (const file of ['dist-smoke/training-worker.js', 'dist-smoke/training-worker.cjs']) {
  const pool = new TrainingWorkerPool({ concurrency: 1, workerFile: '/work/main/packages/training/' + file });
  const t = performance.now();
  const out = await pool.run({ data: { train: data(300, 4) }, config: { hiddenLayers: [5], activation: 'relu', dropout: 0, learningRate: 0.01, batchSize: 32, epochs: 2, optimizer: 'adam', seed: 1 }, save: { modelsDir: '/tmp/smoke-models', strategy: 's', symbol: 'X', timeframe: '1h' } });
  console.log(file, out.result.history.length, out.saved?.version, (performance.now() - t).toFixed(0), 'ms');
  await pool.close();
}
