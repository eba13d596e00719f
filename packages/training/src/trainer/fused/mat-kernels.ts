import type { DropoutDraws } from '../dropout-mask';

/**
 * The loops the fused engine spends its time in: matrix products and the element-wise passes
 * around them. All operands live in one `heap` (a Float32Array over WebAssembly memory or a plain
 * buffer) and are addressed by element offsets, so nothing is copied between JavaScript and
 * WebAssembly.
 *
 * Shapes are padded by the engine so kernels need no tail handling: see each method's contract.
 */
export interface MatKernels {
  /** `wasm-simd` (hand-assembled 128-bit SIMD) or `js` (portable scalar fallback). */
  readonly name: 'wasm-simd' | 'js';
  /** The memory every offset refers to. */
  readonly heap: Float32Array;
  /** The same memory as unsigned integers (row indices for {@link MatKernels.gatherRows}). */
  readonly heapU32: Uint32Array;
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
  /** `z = max(z, 0)` in place, and `out = z * mask` unless `mask` is -1. `n % 4 == 0`. */
  relu(z: number, mask: number, out: number, n: number): void;
  /** `dz = z > 0 ? dz * mask : 0` (`mask` -1: no mask). `n % 4 == 0`. */
  reluGrad(z: number, mask: number, dz: number, n: number): void;
  /** `out[j] = Σᵢ src[i * cols + j]` over `rows` rows. `cols % 4 == 0`. */
  columnSums(src: number, out: number, rows: number, cols: number): void;
  /**
   * Copies rows `order[start .. start + count)` (indices at element offset `order` of
   * {@link MatKernels.heapU32}) of the `rowFloats`-wide matrix at `src` to consecutive rows at `dst`.
   * `rowFloats % 4 == 0`.
   */
  gatherRows(src: number, order: number, start: number, count: number, rowFloats: number, dst: number): void;
  /** {@link DropoutDraws.fill} into the heap (same draws, same order). */
  dropoutFill(draws: DropoutDraws, mask: number, rows: number, units: number, stride: number): void;
  /**
   * TF.js's Adam on `n` parameters at `w` (the SIMD kernel may touch one more: blocks are padded), gradients at `g`, moments at `m` and `v`:
   * `w -= lr * m̂ / (sqrt(v̂) + eps)` with bias corrections `c1 = 1 - beta1^t`, `c2 = 1 - beta2^t`,
   * in float64 with float32 stores (both kernels give the same bits). Zero gradients (padding)
   * leave zero weights at zero.
   */
  adam(w: number, g: number, m: number, v: number, n: number, lr: number, c1: number, c2: number): void;
}

/** Adam's constants; epsilon is TF.js's float32 backend epsilon, so both engines take the same steps. */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** Rounds `n` up to a multiple of 4 (the SIMD width the layouts are padded to). */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}
