import { buildModule } from './wasm-gemm';
import { gemmABt } from './gemm';
const bytes = buildModule();
console.log('valid', WebAssembly.validate(bytes));
const memory = new WebAssembly.Memory({ initial: 64 });
const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const gemm = inst.exports.gemm as (...a: number[]) => void;
const heap = new Float32Array(memory.buffer);
for (const [m, p, q] of [[256, 64, 36], [256, 32, 64], [64, 36, 256], [256, 64, 32], [256, 4, 32]] as [number, number, number][]) {
  const aOff = 1024, bOff = aOff + m * q, cOff = bOff + p * q, biasOff = cOff + m * p;
  for (let i = 0; i < m * q; i++) heap[aOff + i] = Math.random() - 0.5;
  for (let i = 0; i < p * q; i++) heap[bOff + i] = Math.random() - 0.5;
  for (let i = 0; i < p; i++) heap[biasOff + i] = Math.random();
  gemm(aOff * 4, bOff * 4, cOff * 4, biasOff * 4, m, p, q, 1);
  const ref = new Float32Array(m * p); gemmABt(heap.subarray(aOff, aOff + m * q), heap.subarray(bOff, bOff + p * q), ref, m, p, q, heap.subarray(biasOff, biasOff + p));
  let md = 0; for (let i = 0; i < m * p; i++) md = Math.max(md, Math.abs(ref[i]! - heap[cOff + i]!));
  const R = 3000; for (let r = 0; r < 200; r++) gemm(aOff * 4, bOff * 4, cOff * 4, biasOff * 4, m, p, q, 1);
  const t = performance.now(); for (let r = 0; r < R; r++) gemm(aOff * 4, bOff * 4, cOff * 4, biasOff * 4, m, p, q, 1);
  const dt = (performance.now() - t) / R;
  console.log(m, p, q, 'maxdiff', md.toExponential(2), (m * p * q / dt / 1e6).toFixed(2), 'GMAC/s');
}
