import { gemmABt } from './gemm';
function g4x4(A: Float32Array, B: Float32Array, C: Float32Array, m: number, p: number, q: number) {
  for (let i = 0; i < m; i += 4) {
    const a0 = i * q, a1 = a0 + q, a2 = a1 + q, a3 = a2 + q;
    for (let j = 0; j < p; j += 4) {
      const b0 = j * q, b1 = b0 + q, b2 = b1 + q, b3 = b2 + q;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < q; k++) {
        const w0 = B[b0 + k]!, w1 = B[b1 + k]!, w2 = B[b2 + k]!, w3 = B[b3 + k]!;
        let x = A[a0 + k]!; s00 += x * w0; s01 += x * w1; s02 += x * w2; s03 += x * w3;
        x = A[a1 + k]!; s10 += x * w0; s11 += x * w1; s12 += x * w2; s13 += x * w3;
        x = A[a2 + k]!; s20 += x * w0; s21 += x * w1; s22 += x * w2; s23 += x * w3;
        x = A[a3 + k]!; s30 += x * w0; s31 += x * w1; s32 += x * w2; s33 += x * w3;
      }
      let c = i * p + j; C[c] = s00; C[c + 1] = s01; C[c + 2] = s02; C[c + 3] = s03;
      c += p; C[c] = s10; C[c + 1] = s11; C[c + 2] = s12; C[c + 3] = s13;
      c += p; C[c] = s20; C[c + 1] = s21; C[c + 2] = s22; C[c + 3] = s23;
      c += p; C[c] = s30; C[c + 1] = s31; C[c + 2] = s32; C[c + 3] = s33;
    }
  }
}
function g4x2(A: Float32Array, B: Float32Array, C: Float32Array, m: number, p: number, q: number) {
  for (let i = 0; i < m; i += 4) {
    const a0 = i * q, a1 = a0 + q, a2 = a1 + q, a3 = a2 + q;
    for (let j = 0; j < p; j += 2) {
      const b0 = j * q, b1 = b0 + q;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let k = 0; k < q; k++) {
        const w0 = B[b0 + k]!, w1 = B[b1 + k]!;
        let x = A[a0 + k]!; s00 += x * w0; s01 += x * w1;
        x = A[a1 + k]!; s10 += x * w0; s11 += x * w1;
        x = A[a2 + k]!; s20 += x * w0; s21 += x * w1;
        x = A[a3 + k]!; s30 += x * w0; s31 += x * w1;
      }
      let c = i * p + j; C[c] = s00; C[c + 1] = s01; c += p; C[c] = s10; C[c + 1] = s11; c += p; C[c] = s20; C[c + 1] = s21; c += p; C[c] = s30; C[c + 1] = s31;
    }
  }
}
// axpy form: C[m x p] = A[m x q] . W[q x p]
function axpy(A: Float32Array, W: Float32Array, C: Float32Array, m: number, p: number, q: number) {
  for (let i = 0; i < m; i++) { const cr = i * p, ar = i * q; for (let j = 0; j < p; j++) C[cr + j] = 0;
    for (let k = 0; k < q; k++) { const av = A[ar + k]!; const wr = k * p; for (let j = 0; j < p; j++) C[cr + j] += av * W[wr + j]!; } }
}
const shapes = [[256, 64, 36], [256, 32, 64], [64, 36, 256], [256, 64, 32]];
for (const [m, p, q] of shapes as [number, number, number][]) {
  const A = new Float32Array(m * q).map(() => Math.random()), B = new Float32Array(p * q).map(() => Math.random()), C = new Float32Array(m * p);
  for (const [name, f] of [['2x4', (a: any, b: any, c: any) => gemmABt(a, b, c, m, p, q, null)], ['4x4', (a: any, b: any, c: any) => g4x4(a, b, c, m, p, q)], ['4x2', (a: any, b: any, c: any) => g4x2(a, b, c, m, p, q)], ['axpy', (a: any, b: any, c: any) => axpy(a, b, c, m, p, q)]] as const) {
    for (let w = 0; w < 200; w++) f(A, B, C);
    const t = performance.now(); const R = 2000; for (let r = 0; r < R; r++) f(A, B, C);
    const dt = (performance.now() - t) / R; console.log(m, p, q, name, (m * p * q / dt / 1e6).toFixed(2), 'GMAC/s');
  }
}
