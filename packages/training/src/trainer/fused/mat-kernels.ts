/**
 * The matrix products the fused engine spends its time in. All operands live in one `heap`
 * (a Float32Array over WebAssembly memory or a plain buffer) and are addressed by element offsets,
 * so nothing is copied between JavaScript and WebAssembly.
 *
 * Shapes are padded by the engine so kernels need no tail handling: see each method's contract.
 */
export interface MatKernels {
  /** `wasm-simd` (hand-assembled 128-bit SIMD) or `js` (portable scalar fallback). */
  readonly name: 'wasm-simd' | 'js';
  /** The memory every offset refers to. */
  readonly heap: Float32Array;
  /**
   * `C[m x p] = bias[p] + A · B`, where element `(i, k)` of A is at `a + i * aRowStride + k * aColStride`
   * (so A may be read transposed) and B is row-major `q x p`. Requires `m % 4 == 0`, `p % 4 == 0`.
   */
  gemmAB(
    a: number,
    aRowStride: number,
    aColStride: number,
    b: number,
    c: number,
    bias: number,
    m: number,
    p: number,
    q: number,
  ): void;
  /** `C[m x p] = A[m x q] · B[p x q]ᵀ`, all row-major. Requires `m % 2 == 0`, `p % 4 == 0`, `q % 4 == 0`. */
  gemmABt(a: number, b: number, c: number, m: number, p: number, q: number): void;
}

/** Rounds `n` up to a multiple of 4 (the SIMD width the layouts are padded to). */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}
