import { readdirSync, readFileSync } from 'node:fs';
import { TrainingWorkerPool } from '../packages/training/src/worker/training-worker-pool';
function data(rows: number, f: number) { const x = new Float32Array(rows * f).map((_, i) => Math.sin(i)); const y = new Int32Array(rows).map((_, i) => i % 3); return { x, y, rows, features: f }; }
const pool = new TrainingWorkerPool({ concurrency: 2 });
const tasks = [1, 2].map(() => pool.submit({ data: { train: data(20000, 36) }, config: { hiddenLayers: [64, 32], activation: 'relu', dropout: 0.2, learningRate: 0.001, batchSize: 256, epochs: 30, optimizer: 'adam', seed: 1 } }));
await new Promise((r) => setTimeout(r, 4000));
for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const nice = fields[16];
  const utime = fields[11];
  console.log(tid, comm, 'nice', nice, 'utime', utime);
}
tasks.forEach((t) => t.cancel());
await Promise.allSettled(tasks.map((t) => t.result));
await pool.close();
