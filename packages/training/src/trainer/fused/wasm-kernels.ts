import { encodeModule } from './wasm-encoder';
import type { DropoutDraws } from '../dropout-mask';
import {
  columnSums,
  dropoutFill,
  gatherRows,
  relu,
  reluDropout,
  reluDropoutGrad,
  reluGrad,
} from './wasm-elementwise';
import { adam } from './wasm-adam';
import { gemmAB, gemmABt } from './wasm-gemm';
import { ADAM, type MatKernels } from './mat-kernels';

/**
 * The slice of the WebAssembly JS API used here. The repository's TypeScript libs (ES2023 +
 * Node types) do not declare the `WebAssembly` global, and a runtime may lack it altogether.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let moduleCache: object | null | undefined;

/** The compiled kernel module, or null where the runtime lacks WebAssembly SIMD. */
export function wasmKernelModule(): object | null {
  if (moduleCache === undefined) {
    try {
      const bytes = encodeModule(
        [
          gemmAB(),
          gemmABt(),
          relu(),
          reluDropout(),
          reluGrad(),
          reluDropoutGrad(),
          columnSums(),
          dropoutFill(),
          gatherRows(),
          adam(),
        ],
        1,
      );
      moduleCache = wasmApi !== undefined && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
    } catch {
      moduleCache = null;
    }
  }
  return moduleCache;
}

/** Bytes per WebAssembly memory page. */
const PAGE = 65536;

/**
 * SIMD kernels over a fresh WebAssembly memory of at least `floats` elements, or null where
 * WebAssembly SIMD is unavailable (callers fall back to `createJsKernels`).
 */
export function createWasmKernels(floats: number): MatKernels | null {
  const module = wasmKernelModule();
  if (module === null || wasmApi === undefined) return null;
  const memory = new wasmApi.Memory({ initial: Math.max(1, Math.ceil((floats * 4) / PAGE)) });
  const instance = new wasmApi.Instance(module, { env: { memory } });
  const x = instance.exports as Record<
    | 'gemmAB'
    | 'gemmABt'
    | 'relu'
    | 'reluDropout'
    | 'reluGrad'
    | 'reluDropoutGrad'
    | 'columnSums'
    | 'gatherRows'
    | 'adam',
    (...args: number[]) => void
  > & { dropoutFill: (...args: number[]) => number };
  const heap = new Float32Array(memory.buffer, 0, floats);
  return {
    name: 'wasm-simd',
    heap,
    heapU32: new Uint32Array(memory.buffer, 0, floats),
    gemmAB: (a, ars, acs, b, c, bias, m, p, q) =>
      x.gemmAB(a * 4, ars * 4, acs * 4, b * 4, c * 4, bias * 4, m, p, q),
    gemmABt: (a, b, c, m, p, q) => x.gemmABt(a * 4, b * 4, c * 4, m, p, q),
    relu: (z, mask, out, n) => (mask < 0 ? x.relu(z * 4, n) : x.reluDropout(z * 4, mask * 4, out * 4, n)),
    reluGrad: (z, mask, dz, n) =>
      mask < 0 ? x.reluGrad(z * 4, dz * 4, n) : x.reluDropoutGrad(z * 4, mask * 4, dz * 4, n),
    columnSums: (src, out, rows, cols) => x.columnSums(src * 4, out * 4, rows, cols),
    gatherRows: (src, order, start, count, rowFloats, dst) =>
      x.gatherRows(src * 4, order * 4, start, count, rowFloats * 4, dst * 4),
    adam: (w, g, m, v, n, lr, c1, c2) =>
      x.adam(
        w * 4,
        g * 4,
        m * 4,
        v * 4,
        n,
        lr,
        c1,
        c2,
        ADAM.beta1,
        1 - ADAM.beta1,
        ADAM.beta2,
        1 - ADAM.beta2,
        ADAM.epsilon,
      ),
    dropoutFill: (draws: DropoutDraws, mask, rows, units, stride) => {
      draws.random.state = x.dropoutFill(
        mask * 4,
        rows,
        units,
        stride * 4,
        draws.random.state,
        draws.threshold,
        draws.scale,
      );
    },
  };
}
