import { SeededRandom } from '../packages/training/src/trainer/seeded-random';
import { DropoutDraws } from '../packages/training/src/trainer/dropout-mask';
const mem = new WebAssembly.Memory({ initial: 64 });
const heapW = new Float32Array(mem.buffer, 0, 200000);
const heapP = new Float32Array(200000);
const d = new DropoutDraws(new SeededRandom(1), 0.2);
function run(heap: Float32Array, label: string) {
  for (let i = 0; i < 100000; i++) heap[i] = Math.sin(i);
  const z = 0, mask = 30000, out = 60000, n = 256, units = 96, pad = 96;
  const t = performance.now(); const R = 2000;
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < n; i++) { const row = z + i * pad; const end = row + units; for (let t = row; t < end; t++) heap[t] = heap[t]! > 0 ? heap[t]! : 0; }
    for (let i = 0; i < n; i++) { const base = i * pad; for (let t = base; t < base + units; t++) { const m = d.next(); heap[mask + t] = m; heap[out + t] = heap[z + t]! * m; } }
  }
  console.log(label, ((performance.now() - t) / R / (n * units) * 1e6).toFixed(2), 'ns/elem');
}
run(heapW, 'wasm-backed'); run(heapP, 'plain'); run(heapW, 'wasm-backed'); run(heapP, 'plain');
function rngOnly() { const t = performance.now(); let s = 0; for (let i = 0; i < 5e6; i++) s += d.next(); console.log('rng', ((performance.now() - t) / 5e6 * 1e6).toFixed(2), 'ns', s > 0); }
rngOnly();
