import type { DropoutDraws } from '../dropout-mask';
import { ADAM, type MatKernels } from './mat-kernels';

/**
 * Scalar kernels over a plain Float32Array: the fallback where WebAssembly SIMD is unavailable,
 * and the reference the SIMD kernels are tested against. Register-blocked (2 rows x 4 columns of
 * accumulators) because V8 does not vectorise and memory traffic, not arithmetic, bounds a naive loop.
 */
export function createJsKernels(heap: Float32Array): MatKernels {
  const heapU32 = new Uint32Array(heap.buffer, heap.byteOffset, heap.length);
  return {
    name: 'js',
    heap,
    heapU32,
    gemmAB(a, aRowStride, aColStride, b, c, bias, m, p, q) {
      for (let i = 0; i < m; i += 2) {
        const a0 = a + i * aRowStride;
        const a1 = a0 + aRowStride;
        const c0 = c + i * p;
        const c1 = c0 + p;
        for (let j = 0; j < p; j += 4) {
          let s00 = heap[bias + j]!, s01 = heap[bias + j + 1]!, s02 = heap[bias + j + 2]!, s03 = heap[bias + j + 3]!; // prettier-ignore
          let s10 = s00, s11 = s01, s12 = s02, s13 = s03; // prettier-ignore
          for (let k = 0; k < q; k++) {
            const x0 = heap[a0 + k * aColStride]!;
            const x1 = heap[a1 + k * aColStride]!;
            const w = b + k * p + j;
            const w0 = heap[w]!;
            const w1 = heap[w + 1]!;
            const w2 = heap[w + 2]!;
            const w3 = heap[w + 3]!;
            s00 += x0 * w0;
            s01 += x0 * w1;
            s02 += x0 * w2;
            s03 += x0 * w3;
            s10 += x1 * w0;
            s11 += x1 * w1;
            s12 += x1 * w2;
            s13 += x1 * w3;
          }
          heap[c0 + j] = s00;
          heap[c0 + j + 1] = s01;
          heap[c0 + j + 2] = s02;
          heap[c0 + j + 3] = s03;
          heap[c1 + j] = s10;
          heap[c1 + j + 1] = s11;
          heap[c1 + j + 2] = s12;
          heap[c1 + j + 3] = s13;
        }
      }
    },
    gemmABt(a, b, c, m, p, q) {
      for (let i = 0; i < m; i += 2) {
        const a0 = a + i * q;
        const a1 = a0 + q;
        const c0 = c + i * p;
        const c1 = c0 + p;
        for (let j = 0; j < p; j += 4) {
          const b0 = b + j * q;
          const b1 = b0 + q;
          const b2 = b1 + q;
          const b3 = b2 + q;
          let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
          for (let k = 0; k < q; k++) {
            const x0 = heap[a0 + k]!;
            const x1 = heap[a1 + k]!;
            const w0 = heap[b0 + k]!;
            const w1 = heap[b1 + k]!;
            const w2 = heap[b2 + k]!;
            const w3 = heap[b3 + k]!;
            s00 += x0 * w0;
            s01 += x0 * w1;
            s02 += x0 * w2;
            s03 += x0 * w3;
            s10 += x1 * w0;
            s11 += x1 * w1;
            s12 += x1 * w2;
            s13 += x1 * w3;
          }
          heap[c0 + j] = s00;
          heap[c0 + j + 1] = s01;
          heap[c0 + j + 2] = s02;
          heap[c0 + j + 3] = s03;
          heap[c1 + j] = s10;
          heap[c1 + j + 1] = s11;
          heap[c1 + j + 2] = s12;
          heap[c1 + j + 3] = s13;
        }
      }
    },
    relu(z, mask, out, n) {
      for (let t = 0; t < n; t++) {
        const v = heap[z + t]! > 0 ? heap[z + t]! : 0;
        heap[z + t] = v;
        if (mask >= 0) heap[out + t] = v * heap[mask + t]!;
      }
    },
    reluGrad(z, mask, dz, n) {
      for (let t = 0; t < n; t++) {
        const g = mask >= 0 ? heap[dz + t]! * heap[mask + t]! : heap[dz + t]!;
        heap[dz + t] = heap[z + t]! > 0 ? g : 0;
      }
    },
    columnSums(src, out, rows, cols) {
      heap.fill(0, out, out + cols);
      for (let i = 0; i < rows; i++) {
        const row = src + i * cols;
        for (let j = 0; j < cols; j++) heap[out + j] = heap[out + j]! + heap[row + j]!;
      }
    },
    dropoutFill(draws: DropoutDraws, mask, rows, units, stride) {
      draws.fill(heap, mask, rows, units, stride);
    },
    gatherRows(src, order, start, count, rowFloats, dst) {
      for (let i = 0; i < count; i++) {
        const from = src + heapU32[order + start + i]! * rowFloats;
        heap.copyWithin(dst + i * rowFloats, from, from + rowFloats);
      }
    },
    adam(w, g, m, v, n, lr, c1, c2) {
      const { beta1, beta2, epsilon } = ADAM;
      for (let i = 0; i < n; i++) {
        const grad = heap[g + i]!;
        const mi = beta1 * heap[m + i]! + (1 - beta1) * grad;
        const vi = beta2 * heap[v + i]! + (1 - beta2) * grad * grad;
        heap[m + i] = mi;
        heap[v + i] = vi;
        heap[w + i] = heap[w + i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
      }
    },
  };
}
