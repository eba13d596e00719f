import { gemmABt, transpose } from './gemm64';
type Arr = Float64Array; const Arr = Float64Array;
function rng(seed: number) { let a = seed >>> 0; return () => { a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
const N = 100000, F = 36, B = 256, dims = [F, 64, 32, 3], p = 0.2;
const r = rng(1);
const X = new Float32Array(N * F).map(() => r() * 2 - 1); const Y = new Int32Array(N).map(() => Math.floor(r() * 3));
const L = dims.length - 1;
// W[l]: O x I (torch layout); WT[l]: I x O
const W: Arr[] = [], WT: Arr[] = [], Bs: Arr[] = [], gW: Arr[] = [], gB: Arr[] = [], mW: Arr[] = [], vW: Arr[] = [], mB: Arr[] = [], vB: Arr[] = [];
for (let l = 0; l < L; l++) { const i = dims[l]!, o = dims[l + 1]!; const lim = Math.sqrt(6 / (i + o)); W.push(new Arr(i * o).map(() => (r() * 2 - 1) * lim)); WT.push(new Arr(i*o)); transpose(W[l]!, WT[l]!, o, i); Bs.push(new Arr(o)); gW.push(new Arr(i * o)); gB.push(new Arr(o)); mW.push(new Arr(i * o)); vW.push(new Arr(i * o)); mB.push(new Arr(o)); vB.push(new Arr(o)); }
const A: Arr[] = dims.map((d) => new Arr(B * d));
const AT: Arr[] = dims.map((d) => new Arr(B * d));
const D: Arr[] = dims.map((d) => new Arr(B * d));
const DT: Arr[] = dims.map((d) => new Arr(B * d));
let step = 0; const lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-7;
function adam(w: Arr, g: Arr, m: Arr, v: Arr, lrT: number) {
  for (let i = 0; i < w.length; i++) { const gi = g[i]!; const mi = (m[i] = b1 * m[i]! + (1 - b1) * gi); const vi = (v[i] = b2 * v[i]! + (1 - b2) * gi * gi); w[i] -= (lrT * mi) / (Math.sqrt(vi) + eps); }
}
const tm = new Float64Array(8);
function trainBatch(idx: Uint32Array, off: number, n: number): number {
  let t0 = performance.now();
  const a0 = A[0]!;
  for (let i = 0; i < n; i++) { const src = idx[off + i]! * F; a0.set(X.subarray(src, src + F), i * F); }
  const keep = 1 - p, inv = 1 / keep;
  for (let l = 0; l < L; l++) {
    const I = dims[l]!, O = dims[l + 1]!; const c = A[l + 1]!;
    gemmABt(A[l]!, W[l]!, c, n, O, I, Bs[l]!);
    if (l < L - 1) { for (let t = 0; t < n * O; t++) { const z = c[t]!; c[t] = z > 0 && r() < keep ? z * inv : 0; } }
  }
  let t1 = performance.now(); tm[0]! += t1 - t0; t0 = t1;
  const out = A[L]!, dOut = D[L]!; let loss = 0;
  for (let i = 0; i < n; i++) { const o = i * 3; const m = Math.max(out[o]!, out[o + 1]!, out[o + 2]!); const e0 = Math.exp(out[o]! - m), e1 = Math.exp(out[o + 1]! - m), e2 = Math.exp(out[o + 2]! - m); const s = e0 + e1 + e2; const y = Y[idx[off + i]!]!;
    dOut[o] = e0 / s / n; dOut[o + 1] = e1 / s / n; dOut[o + 2] = e2 / s / n; dOut[o + y] -= 1 / n; loss -= Math.log((y === 0 ? e0 : y === 1 ? e1 : e2) / s); }
  for (let l = L - 1; l >= 0; l--) {
    const I = dims[l]!, O = dims[l + 1]!;
    const d = D[l + 1]!;
    // gW (O x I) = d^T (O x n) . a (n x I) => dot-form: dT (O x n) . aT(I x n)^T
    transpose(d, DT[l + 1]!, n, O); transpose(A[l]!, AT[l]!, n, I);
    gemmABt(DT[l + 1]!, AT[l]!, gW[l]!, O, I, n, null);
    const gb = gB[l]!; gb.fill(0); for (let i = 0; i < n; i++) for (let j = 0; j < O; j++) gb[j] += d[i * O + j]!;
    if (l > 0) { const da = D[l]!; const ap = A[l]!; gemmABt(d, WT[l]!, da, n, I, O, null); for (let t = 0; t < n * I; t++) da[t] = ap[t] === 0 ? 0 : da[t]! * inv; }
  }
  t1 = performance.now(); tm[1]! += t1 - t0; t0 = t1;
  step++; const lrT = lr * Math.sqrt(1 - b2 ** step) / (1 - b1 ** step);
  for (let l = 0; l < L; l++) { adam(W[l]!, gW[l]!, mW[l]!, vW[l]!, lrT); adam(Bs[l]!, gB[l]!, mB[l]!, vB[l]!, lrT); transpose(W[l]!, WT[l]!, dims[l+1]!, dims[l]!); }
  t1 = performance.now(); tm[2]! += t1 - t0;
  return loss / n;
}
for (let e = 0; e < 4; e++) {
  const t = performance.now(); const idx = new Uint32Array(N).map((_, i) => i);
  for (let i = N - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); const tmp = idx[i]!; idx[i] = idx[j]!; idx[j] = tmp; }
  let loss = 0; tm.fill(0);
  for (let s = 0; s < N; s += B) loss = trainBatch(idx, s, Math.min(B, N - s));
  console.log('epoch', e, 'loss', loss.toFixed(4), 'samples/s', Math.round(N / ((performance.now() - t) / 1000)), 'fwd', tm[0]!.toFixed(0), 'bwd', tm[1]!.toFixed(0), 'adam', tm[2]!.toFixed(0));
}
