import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(import.meta.url);
setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
const be = process.argv[2] ?? 'wasm';
await tf.setBackend(be); await tf.ready();
const N = 100000, F = 36, B = 256;
const xs = tf.randomNormal([N, F]); const ys = tf.oneHot(tf.randomUniform([N], 0, 3, 'int32') as tf.Tensor1D, 3);
const w1 = tf.variable(tf.randomNormal([F, 64], 0, 0.1)), b1 = tf.variable(tf.zeros([64]));
const w2 = tf.variable(tf.randomNormal([64, 32], 0, 0.1)), b2 = tf.variable(tf.zeros([32]));
const w3 = tf.variable(tf.randomNormal([32, 3], 0, 0.1)), b3 = tf.variable(tf.zeros([3]));
const opt = tf.train.adam(1e-3);
const nb = Math.ceil(N / B);
for (let e = 0; e < 3; e++) {
  const t = performance.now();
  const batches: [tf.Tensor, tf.Tensor][] = [];
  tf.tidy(() => {
    const perm = tf.util.createShuffledIndices(N);
    const idx = tf.tensor1d(Int32Array.from(perm), 'int32');
    const sx = tf.gather(xs, idx), sy = tf.gather(ys, idx);
    for (let i = 0; i < nb; i++) { const s = i * B, n = Math.min(B, N - s); batches.push([tf.keep(sx.slice([s, 0], [n, F])), tf.keep(sy.slice([s, 0], [n, 3]))]); }
  });
  const tPrep = performance.now();
  let last: tf.Scalar | null = null;
  for (const [bx, by] of batches) {
    const l = opt.minimize(() => {
      let h = tf.relu(tf.add(tf.matMul(bx, w1), b1));
      h = tf.dropout(h, 0.2);
      h = tf.relu(tf.add(tf.matMul(h, w2), b2));
      h = tf.dropout(h, 0.2);
      const logits = tf.add(tf.matMul(h, w3), b3);
      return tf.losses.softmaxCrossEntropy(by, logits) as tf.Scalar;
    }, true);
    last?.dispose(); last = l;
  }
  await last!.data();
  for (const [a, b] of batches) { a.dispose(); b.dispose(); }
  console.log(be, 'prep', (tPrep - t).toFixed(0), 'ms; loop', N / ((performance.now() - t) / 1000), tf.memory().numTensors);
}
