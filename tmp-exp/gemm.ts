// C[m x p] = A[m x q] . B[p x q]^T  (+ bias[p] if given)
export function gemmABt(A: Float32Array, B: Float32Array, C: Float32Array, m: number, p: number, q: number, bias: Float32Array | null) {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * q, a1 = a0 + q, c0 = i * p, c1 = c0 + p;
    let j = 0;
    for (; j + 3 < p; j += 4) {
      const b0 = j * q, b1 = b0 + q, b2 = b1 + q, b3 = b2 + q;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < q; k++) {
        const x0 = A[a0 + k]!, x1 = A[a1 + k]!;
        const w0 = B[b0 + k]!, w1 = B[b1 + k]!, w2 = B[b2 + k]!, w3 = B[b3 + k]!;
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
      }
      if (bias !== null) { const u0 = bias[j]!, u1 = bias[j + 1]!, u2 = bias[j + 2]!, u3 = bias[j + 3]!; s00 += u0; s01 += u1; s02 += u2; s03 += u3; s10 += u0; s11 += u1; s12 += u2; s13 += u3; }
      C[c0 + j] = s00; C[c0 + j + 1] = s01; C[c0 + j + 2] = s02; C[c0 + j + 3] = s03;
      C[c1 + j] = s10; C[c1 + j + 1] = s11; C[c1 + j + 2] = s12; C[c1 + j + 3] = s13;
    }
    for (; j < p; j++) {
      const b0 = j * q; let s0 = 0, s1 = 0;
      for (let k = 0; k < q; k++) { const w = B[b0 + k]!; s0 += A[a0 + k]! * w; s1 += A[a1 + k]! * w; }
      const u = bias !== null ? bias[j]! : 0; C[c0 + j] = s0 + u; C[c1 + j] = s1 + u;
    }
  }
  for (; i < m; i++) {
    const a0 = i * q, c0 = i * p;
    for (let j = 0; j < p; j++) { const b0 = j * q; let s = 0; for (let k = 0; k < q; k++) s += A[a0 + k]! * B[b0 + k]!; C[c0 + j] = s + (bias !== null ? bias[j]! : 0); }
  }
}
export function transpose(src: Float32Array, dst: Float32Array, rows: number, cols: number) {
  for (let r = 0; r < rows; r++) { const o = r * cols; for (let c = 0; c < cols; c++) dst[c * rows + r] = src[o + c]!; }
}
