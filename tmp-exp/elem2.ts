import { SeededRandom } from '../packages/training/src/trainer/seeded-random';
import { DropoutDraws } from '../packages/training/src/trainer/dropout-mask';
const mem = new WebAssembly.Memory({ initial: 64 });
const heap = new Float32Array(mem.buffer, 0, 200000);
const d = new DropoutDraws(new SeededRandom(1), 0.2);
for (let k = 0; k < 3; k++) {
  let t = performance.now(); const R = 2000;
  for (let r = 0; r < R; r++) d.fill(heap, 30000, 256, 96, 96);
  console.log('fill', ((performance.now() - t) / R / (256 * 96) * 1e6).toFixed(2), 'ns/elem');
  t = performance.now();
  for (let r = 0; r < R; r++) { for (let i = 0; i < 256; i++) { const row = i * 96; const end = row + 96; for (let q = row; q < end; q++) heap[q] = heap[q]! > 0 ? heap[q]! : 0; } }
  console.log('relu', ((performance.now() - t) / R / (256 * 96) * 1e6).toFixed(2), 'ns/elem');
  t = performance.now();
  for (let r = 0; r < R; r++) { for (let i = 0; i < 256; i++) { const base = i * 96; for (let q = base; q < base + 96; q++) heap[60000 + q] = heap[q]! * heap[30000 + q]!; } }
  console.log('mul', ((performance.now() - t) / R / (256 * 96) * 1e6).toFixed(2), 'ns/elem');
}
