import { createWasmKernels } from '../packages/training/src/trainer/fused/wasm-kernels';
import { createJsKernels } from '../packages/training/src/trainer/fused/js-kernels';
const W = createWasmKernels(1 << 20)!; const J = createJsKernels(new Float32Array(1 << 20));
for (const [m, p, q, tr] of [[256, 64, 36, 0], [256, 32, 64, 0], [256, 4, 32, 0], [36, 64, 256, 1], [64, 32, 256, 1], [8, 12, 5, 0], [12, 20, 7, 1]] as number[][]) {
  const a = 16, b = a + m * q, c = b + q * p, bias = c + m * p;
  for (const K of [W, J]) { let s = 7; for (let i = 0; i < bias + p; i++) { s = (s * 1103515245 + 12345) & 0x7fffffff; K.heap[i] = (s / 0x7fffffff) - 0.5; } }
  const ars = tr ? 1 : q, acs = tr ? m : 1;
  W.gemmAB(a, ars, acs, b, c, bias, m!, p!, q!); J.gemmAB(a, ars, acs, b, c, bias, m!, p!, q!);
  let md = 0; for (let i = 0; i < m! * p!; i++) md = Math.max(md, Math.abs(W.heap[c + i]! - J.heap[c + i]!));
  const R = 2000; let t = performance.now(); for (let r = 0; r < R; r++) W.gemmAB(a, ars, acs, b, c, bias, m!, p!, q!); const dw = (performance.now() - t) / R;
  t = performance.now(); for (let r = 0; r < R / 10; r++) J.gemmAB(a, ars, acs, b, c, bias, m!, p!, q!); const dj = (performance.now() - t) / (R / 10);
  console.log('AB', m, p, q, tr, 'diff', md.toExponential(1), 'wasm', (m! * p! * q! / dw / 1e6).toFixed(1), 'js', (m! * p! * q! / dj / 1e6).toFixed(2));
}
for (const [m, p, q] of [[256, 64, 32], [256, 32, 4], [10, 8, 12]] as number[][]) {
  const a = 16, b = a + m! * q!, c = b + q! * p!;
  for (const K of [W, J]) { let s = 3; for (let i = 0; i < c + m! * p!; i++) { s = (s * 1103515245 + 12345) & 0x7fffffff; K.heap[i] = (s / 0x7fffffff) - 0.5; } }
  W.gemmABt(a, b, c, m!, p!, q!); J.gemmABt(a, b, c, m!, p!, q!);
  let md = 0; for (let i = 0; i < m! * p!; i++) md = Math.max(md, Math.abs(W.heap[c + i]! - J.heap[c + i]!));
  console.log('ABt', m, p, q, 'diff', md.toExponential(1));
}
