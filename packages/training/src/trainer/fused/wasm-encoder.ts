/**
 * Just enough of the WebAssembly binary format to assemble the fused engine's SIMD kernels at run
 * time. Writing the bytes from TypeScript keeps the package free of build-time toolchains (no
 * emscripten, no wat2wasm) and of checked-in binaries nobody can review.
 */

/** WebAssembly value types used by the kernels. */
export const I32 = 0x7f;
/** 32-bit float. */
export const F32 = 0x7d;
/** 128-bit SIMD vector. */
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (for `i32.const`). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const simd = (code: number, ...immediates: number[]): number[] => [0xfd, ...uleb(code), ...immediates];
/** memarg: alignment exponent, then offset. */
const memarg = (align: number, offset: number): number[] => [align, ...uleb(offset)];

/** Instruction encoders (only those the kernels use). */
export const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  i32Load: (offset = 0) => [0x28, ...memarg(2, offset)],
  f32Load: (offset = 0) => [0x2a, ...memarg(2, offset)],
  f32Store: (offset = 0) => [0x38, ...memarg(2, offset)],
  f32Mul: [0x94],
  f32ConvertI32U: [0xb3],
  i32Add: [0x6a],
  i32And: [0x71],
  i32Or: [0x72],
  i32Xor: [0x73],
  i32ShrU: [0x76],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32LtU: [0x49],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  i32Shl: [0x74],
  /** `block` with an empty block type. */
  block: [0x02, 0x40],
  /** `loop` with an empty block type. */
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  v128Load: (offset = 0) => simd(0x00, ...memarg(4, offset)),
  v128Store: (offset = 0) => simd(0x0b, ...memarg(4, offset)),
  v128Load32Splat: (offset = 0) => simd(0x09, ...memarg(2, offset)),
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4Max: simd(0xe9),
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
  /** `i8x16.shuffle` expressed in 32-bit lanes (0-3 from the first operand, 4-7 from the second). */
  shuffle32: (lanes: [number, number, number, number]) =>
    simd(0x0d, ...lanes.flatMap((l) => [l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3])),
} as const;

/** One exported function. */
export interface WasmFunction {
  name: string;
  /** Parameter value types ({@link I32}, {@link F32}...). */
  params: number[];
  /** Result value types (none or one). */
  results?: number[];
  /** Extra locals after the parameters, in declaration order. */
  locals: number[];
  body: number[];
}

function encodeLocals(types: number[]): number[] {
  const groups: number[][] = [];
  for (let i = 0; i < types.length;) {
    let j = i;
    while (j < types.length && types[j] === types[i]) j++;
    groups.push([...uleb(j - i), types[i]!]);
    i = j;
  }
  return vector(groups);
}

/** A module importing `env.memory` and exporting `functions`. */
export function encodeModule(functions: WasmFunction[], minMemoryPages: number): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector((f.results ?? []).map((t) => [t])),
  ]);
  const code = functions.map((f) => {
    const body = [...encodeLocals(f.locals), ...f.body, ...op.end];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minMemoryPages)]])),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(code)),
  ]);
}
