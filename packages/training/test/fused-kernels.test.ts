import { describe, expect, it } from 'vitest';
import { DropoutDraws } from '../src/trainer/dropout-mask';
import { createJsKernels } from '../src/trainer/fused/js-kernels';
import type { MatKernels } from '../src/trainer/fused/mat-kernels';
import { pad4 } from '../src/trainer/fused/mat-kernels';
import { createWasmKernels } from '../src/trainer/fused/wasm-kernels';
import { SeededRandom } from '../src/trainer/seeded-random';

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

  it('relu, reluGrad (with and without a mask) and columnSums agree between SIMD and JS', () => {
    const n = 64;
    const [z, mask, out, dz, sums] = [0, 64, 128, 192, 256];
    const results = [wasm!, js].map((k) => {
      fill(k, 0, 256, 3);
      for (let i = 0; i < n; i++) k.heap[mask + i] = i % 3 === 0 ? 0 : 1.25;
      k.relu(z, mask, out, n);
      k.reluGrad(z, mask, dz, n);
      k.columnSums(dz, sums, 8, 8);
      const snapshot = Array.from(k.heap.subarray(0, 264));
      k.relu(z, -1, z, n);
      k.reluGrad(z, -1, out, n);
      return [...snapshot, ...Array.from(k.heap.subarray(0, 256))];
    });
    expect(results[0]).toEqual(results[1]);
    const k = js;
    for (let i = 0; i < n; i++) {
      expect(k.heap[z + i]).toBeGreaterThanOrEqual(0);
    }
  });

  it('columnSums adds rows; gatherRows copies the rows an order names', () => {
    for (const k of [wasm!, js]) {
      for (let i = 0; i < 24; i++) k.heap[i] = i;
      k.columnSums(0, 100, 3, 8);
      expect(Array.from(k.heap.subarray(100, 108))).toEqual([24, 27, 30, 33, 36, 39, 42, 45]);
      k.heapU32.set([2, 0, 1], 200);
      k.gatherRows(0, 200, 1, 2, 8, 300);
      expect(Array.from(k.heap.subarray(300, 316))).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
      ]);
    }
  });

  it('dropoutFill draws exactly the JavaScript sequence and advances the same state', () => {
    const a = new DropoutDraws(new SeededRandom(99), 0.3);
    const b = new DropoutDraws(new SeededRandom(99), 0.3);
    wasm!.heap.fill(-1, 0, 64);
    js.heap.fill(-1, 0, 64);
    wasm!.dropoutFill(a, 0, 5, 7, 8);
    js.dropoutFill(b, 0, 5, 7, 8);
    expect(Array.from(wasm!.heap.subarray(0, 64))).toEqual(Array.from(js.heap.subarray(0, 64)));
    expect(a.random.state).toBe(b.random.state);
    const kept = Array.from(js.heap.subarray(0, 40)).filter((v, i) => i % 8 < 7 && v > 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    // Padding lanes (the 8th of each row) are left alone.
    expect(js.heap[7]).toBe(-1);
  });
});

describe('fused engine Adam kernel', () => {
  it('the WebAssembly SIMD step gives the scalar step bit for bit, over many steps', () => {
    const wasm = createWasmKernels(8192)!;
    const js = createJsKernels(new Float32Array(8192));
    const n = 1030; // not a multiple of 4: the padded tail must stay untouched or zero
    const [w, g, m, v] = [0, 1032, 2064, 3096];
    for (const k of [wasm, js]) {
      k.heap.fill(0);
      fill(k, w, w + n, 7);
    }
    for (let step = 1; step <= 50; step++) {
      for (const k of [wasm, js]) {
        fill(k, g, g + n, 100 + step);
        k.adam(w, g, m, v, n, 1e-3 * step, 1 - 0.9 ** step, 1 - 0.999 ** step);
      }
    }
    expect(Array.from(wasm.heap.subarray(0, 4128))).toEqual(Array.from(js.heap.subarray(0, 4128)));
    expect(js.heap[w]).not.toBe(0);
  });
});
