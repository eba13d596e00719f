import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../src/trainer/fused/js-kernels';
import type { MatKernels } from '../src/trainer/fused/mat-kernels';
import { pad4 } from '../src/trainer/fused/mat-kernels';
import { createWasmKernels } from '../src/trainer/fused/wasm-kernels';

function fill(k: MatKernels, from: number, to: number, seed: number): void {
  let s = seed;
  for (let i = from; i < to; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    k.heap[i] = s / 0x7fffffff - 0.5;
  }
}

/** Straightforward triple loop, the definition the kernels must match. */
function reference(
  k: MatKernels,
  a: number,
  ars: number,
  acs: number,
  b: number,
  bias: number,
  m: number,
  p: number,
  q: number,
  transposedB: boolean,
): Float64Array {
  const out = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let s = bias >= 0 ? k.heap[bias + j]! : 0;
      for (let t = 0; t < q; t++)
        s += k.heap[a + i * ars + t * acs]! * k.heap[transposedB ? b + j * q + t : b + t * p + j]!;
      out[i * p + j] = s;
    }
  }
  return out;
}

describe('fused engine kernels', () => {
  const wasm = createWasmKernels(1 << 16);
  const js = createJsKernels(new Float32Array(1 << 16));

  it('WebAssembly SIMD is available in this runtime', () => {
    expect(wasm?.name).toBe('wasm-simd');
  });

  it.each([
    [8, 12, 5, false],
    [12, 20, 36, false],
    [4, 4, 1, false],
    [16, 8, 7, true],
    [36, 64, 20, true],
  ])('gemmAB m=%i p=%i q=%i (A transposed: %s) matches the definition', (m, p, q, transposed) => {
    for (const k of [wasm!, js]) {
      const a = 4, b = a + pad4(m * q), c = b + pad4(q * p), bias = c + pad4(m * p); // prettier-ignore
      fill(k, 0, bias + p, 42);
      const [ars, acs] = transposed ? [1, m] : [q, 1];
      const expected = reference(k, a, ars, acs, b, bias, m, p, q, false);
      k.gemmAB(a, ars, acs, b, c, bias, m, p, q);
      expected.forEach((v, i) => expect(k.heap[c + i]).toBeCloseTo(v, 5));
    }
  });

  it.each([
    [2, 4, 4],
    [10, 8, 12],
    [256, 32, 64],
  ])('gemmABt m=%i p=%i q=%i matches the definition', (m, p, q) => {
    for (const k of [wasm!, js]) {
      const a = 8, b = a + m * q, c = b + p * q; // prettier-ignore
      fill(k, 0, c, 7);
      const expected = reference(k, a, q, 1, b, -1, m, p, q, true);
      k.gemmABt(a, b, c, m, p, q);
      expected.forEach((v, i) => expect(k.heap[c + i]).toBeCloseTo(v, 4));
    }
  });
});
