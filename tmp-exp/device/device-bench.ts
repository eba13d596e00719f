// Device run: fused engine throughput on the standard workload, PyTorch if importable, and the
// 10-session concurrency check. Bundled with tsup; no node_modules needed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { trainMlp } from '../../packages/training/src/trainer/train-mlp';
import { TrainingWorkerPool } from '../../packages/training/src/worker/training-worker-pool';

const dir = path.dirname(new URL(import.meta.url).pathname);
const ROWS = Number(process.env.ROWS ?? 100_000), F = 36;
function data(rows: number, seed: number) {
  let s = seed; const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const x = new Float32Array(rows * F), y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) { let sig = 0; for (let f = 0; f < F; f++) { const v = r() * 2 - 1; x[i * F + f] = v; if (f < 4) sig += v; } y[i] = sig > 0.5 ? 0 : sig < -0.5 ? 2 : 1; }
  return { x, y, rows, features: F };
}
const med = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const cfg = { hiddenLayers: [64, 32], activation: 'relu' as const, dropout: 0.2, learningRate: 1e-3, batchSize: 256, epochs: 4, optimizer: 'adam' as const, seed: 1 };
const train = data(ROWS, 12345);
const out = process.env.OUT ?? '/tmp';
writeFileSync(path.join(out, 'train-data.bin'), Buffer.concat([Buffer.from(train.x.buffer), Buffer.from(train.y.buffer)]));
let python: string | null = null;
for (const p of process.env.SKIP_TORCH ? [] : ['/usr/bin/python3', 'python3']) { try { execFileSync(p, ['-c', 'import torch'], { stdio: 'ignore' }); python = p; break; } catch { /* next */ } }
console.log('torch python:', python);
const fused: number[] = [], torch: number[] = [];
const R = Number(process.env.ROUNDS ?? 5);
for (let round = 0; round < R; round++) {
  const res = await trainMlp({ train }, cfg, { engine: 'cpu-fused', kernels: 'wasm-simd' });
  fused.push(med(res.history.slice(1).map((h) => ROWS / (h.durationMs / 1000))));
  if (python !== null) {
    const o = execFileSync(python, [path.join(dir, 'torch_mlp.py'), path.join(out, 'train-data.bin'), String(ROWS), String(F), '4', '2'], { encoding: 'utf8', timeout: 60000 });
    torch.push(med(o.trim().split('\n').slice(1).map((l) => JSON.parse(l).samples_per_second)));
  }
  console.log(`round ${round + 1}: fused ${fused[round]!.toFixed(0)}${python ? ` torch ${torch[round]!.toFixed(0)} ratio ${(fused[round]! / torch[round]!).toFixed(2)}` : ''}`);
}
console.log('median fused', med(fused).toFixed(0), python ? `median torch ${med(torch).toFixed(0)} ratio ${(med(fused) / med(torch)).toFixed(2)}` : '');
const js = await trainMlp({ train }, { ...cfg, epochs: 2 }, { engine: 'cpu-fused', kernels: 'js' });
console.log('fused js kernels', (ROWS / (js.history[1]!.durationMs / 1000)).toFixed(0));
for (let round = 0; round < Math.min(3, R); round++) {
  const jobs = Array.from({ length: 10 }, (_, i) => ({ data: { train: data(20_000, i + 1), validation: data(2_000, 100 + i) }, config: { ...cfg, epochs: 3, seed: i + 1 } }));
  const pool = new TrainingWorkerPool({ concurrency: 10, workerFile: path.join(dir, 'training-worker.mjs') });
  const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
  const t0 = performance.now();
  await Promise.all(jobs.map((j) => pool.run(j, { transfer: true })));
  const wall = (performance.now() - t0) / 1000; h.disable(); await pool.close();
  console.log(`concurrency round ${round + 1}: wall ${wall.toFixed(2)} s, lag p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms max ${(h.max / 1e6).toFixed(1)} ms, ${(10 * 3 * 20000 / wall).toFixed(0)} samples/s total`);
}
