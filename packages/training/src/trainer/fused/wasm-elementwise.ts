import { Code, Locals } from './wasm-code';
import { F32, I32, op, V128, type WasmFunction } from './wasm-encoder';

/**
 * Element-wise kernels of the fused engine: ReLU with dropout, their gradients, column sums and
 * the dropout draws. In JavaScript these passes cost more than all the matrix products together
 * (each ~1-3 ns per element, over ~25k elements per layer and batch); as 128-bit SIMD loops they
 * are a few times cheaper. All sizes are in elements and multiples of 4; addresses in bytes.
 */

/** `for (i = 0; i < n * 4; i += 16) body(i)`, skipped when n is 0. */
function vectorLoop(code: Code, n: number, i: number, end: number, body: () => void): void {
  code.emit(op.localGet(n), op.i32Const(2), op.i32Shl, op.localTee(end), op.i32Const(0), op.i32GtU);
  code.emit([0x04, 0x40]); // if
  code.emit(op.i32Const(0), op.localSet(i), op.loop);
  body();
  code.emit(
    op.localGet(i),
    op.i32Const(16),
    op.i32Add,
    op.localTee(i),
    op.localGet(end),
    op.i32LtU,
    op.brIf(0),
  );
  code.emit(op.end, op.end);
}

/** `relu(z, n)`: z = max(z, 0) in place. */
export function relu(): WasmFunction {
  const [z, n] = [0, 1];
  const L = new Locals(2);
  const i = L.add(I32), end = L.add(I32), zero = L.add(V128); // prettier-ignore
  const code = new Code().emit(op.v128Zero, op.localSet(zero));
  vectorLoop(code, n, i, end, () => {
    code.emit(op.localGet(z), op.localGet(i), op.i32Add);
    code.emit(
      op.localGet(z),
      op.localGet(i),
      op.i32Add,
      op.v128Load(),
      op.localGet(zero),
      op.f32x4Max,
      op.v128Store(),
    );
  });
  return { name: 'relu', params: [I32, I32], locals: L.types, body: code.bytes };
}

/** `reluDropout(z, mask, out, n)`: z = max(z, 0) in place; out = z * mask. */
export function reluDropout(): WasmFunction {
  const [z, mask, out, n] = [0, 1, 2, 3];
  const L = new Locals(4);
  const i = L.add(I32), end = L.add(I32), zero = L.add(V128), v = L.add(V128); // prettier-ignore
  const code = new Code().emit(op.v128Zero, op.localSet(zero));
  vectorLoop(code, n, i, end, () => {
    code.emit(
      op.localGet(z),
      op.localGet(i),
      op.i32Add,
      op.v128Load(),
      op.localGet(zero),
      op.f32x4Max,
      op.localSet(v),
    );
    code.emit(op.localGet(z), op.localGet(i), op.i32Add, op.localGet(v), op.v128Store());
    code.emit(op.localGet(out), op.localGet(i), op.i32Add, op.localGet(v));
    code.emit(op.localGet(mask), op.localGet(i), op.i32Add, op.v128Load(), op.f32x4Mul, op.v128Store());
  });
  return { name: 'reluDropout', params: [I32, I32, I32, I32], locals: L.types, body: code.bytes };
}

/** `reluGrad(z, dz, n)`: dz = z > 0 ? dz : 0 (z holds the activation). */
export function reluGrad(): WasmFunction {
  const [z, dz, n] = [0, 1, 2];
  const L = new Locals(3);
  const i = L.add(I32), end = L.add(I32), zero = L.add(V128); // prettier-ignore
  const code = new Code().emit(op.v128Zero, op.localSet(zero));
  vectorLoop(code, n, i, end, () => {
    code.emit(op.localGet(dz), op.localGet(i), op.i32Add);
    code.emit(op.localGet(dz), op.localGet(i), op.i32Add, op.v128Load());
    code.emit(
      op.localGet(z),
      op.localGet(i),
      op.i32Add,
      op.v128Load(),
      op.localGet(zero),
      op.f32x4Gt,
      op.v128And,
    );
    code.emit(op.v128Store());
  });
  return { name: 'reluGrad', params: [I32, I32, I32], locals: L.types, body: code.bytes };
}

/** `reluDropoutGrad(z, mask, dz, n)`: dz = z > 0 ? dz * mask : 0. */
export function reluDropoutGrad(): WasmFunction {
  const [z, mask, dz, n] = [0, 1, 2, 3];
  const L = new Locals(4);
  const i = L.add(I32), end = L.add(I32), zero = L.add(V128); // prettier-ignore
  const code = new Code().emit(op.v128Zero, op.localSet(zero));
  vectorLoop(code, n, i, end, () => {
    code.emit(op.localGet(dz), op.localGet(i), op.i32Add);
    code.emit(op.localGet(dz), op.localGet(i), op.i32Add, op.v128Load());
    code.emit(op.localGet(mask), op.localGet(i), op.i32Add, op.v128Load(), op.f32x4Mul);
    code.emit(
      op.localGet(z),
      op.localGet(i),
      op.i32Add,
      op.v128Load(),
      op.localGet(zero),
      op.f32x4Gt,
      op.v128And,
    );
    code.emit(op.v128Store());
  });
  return { name: 'reluDropoutGrad', params: [I32, I32, I32, I32], locals: L.types, body: code.bytes };
}

/** `columnSums(src, out, rows, cols)`: out[j] = sum over rows of src[i][j]; cols a multiple of 4. */
export function columnSums(): WasmFunction {
  const [src, out, rows, cols] = [0, 1, 2, 3];
  const L = new Locals(4);
  const j = L.add(I32), end = L.add(I32), p = L.add(I32), k = L.add(I32), stride = L.add(I32), acc = L.add(V128); // prettier-ignore
  const code = new Code();
  code.emit(op.localGet(cols), op.i32Const(2), op.i32Shl, op.localSet(stride));
  vectorLoop(code, cols, j, end, () => {
    code.emit(op.v128Zero, op.localSet(acc));
    code.emit(op.localGet(src), op.localGet(j), op.i32Add, op.localSet(p));
    code.emit(op.localGet(rows), op.localTee(k), op.i32Const(0), op.i32GtU, [0x04, 0x40], op.loop);
    code.emit(op.localGet(acc), op.localGet(p), op.v128Load(), op.f32x4Add, op.localSet(acc));
    code.emit(op.localGet(p), op.localGet(stride), op.i32Add, op.localSet(p));
    code.emit(op.localGet(k), op.i32Const(1), op.i32Sub, op.localTee(k), op.brIf(0));
    code.emit(op.end, op.end);
    code.emit(op.localGet(out), op.localGet(j), op.i32Add, op.localGet(acc), op.v128Store());
  });
  return { name: 'columnSums', params: [I32, I32, I32, I32], locals: L.types, body: code.bytes };
}

/**
 * `dropoutFill(mask, rows, units, strideBytes, state, threshold, scale) -> state`: the same
 * mulberry32 stream and branchless keep test as `DropoutDraws.fill`, bit for bit, so the engines
 * still draw identical masks.
 */
export function dropoutFill(): WasmFunction {
  const [mask, rows, units, stride, state, threshold, scale] = [0, 1, 2, 3, 4, 5, 6];
  const L = new Locals(7);
  const row = L.add(I32), p = L.add(I32), r = L.add(I32), u = L.add(I32), t = L.add(I32); // prettier-ignore
  const code = new Code();
  const next = (): void => {
    // state += 0x6d2b79f5; t = imul(state ^ state >>> 15, state | 1)
    code.emit(op.localGet(state), op.i32Const(0x6d2b79f5), op.i32Add, op.localSet(state));
    code.emit(op.localGet(state), op.localGet(state), op.i32Const(15), op.i32ShrU, op.i32Xor);
    code.emit(op.localGet(state), op.i32Const(1), op.i32Or, op.i32Mul, op.localSet(t));
    // t = (t + imul(t ^ t >>> 7, t | 61)) ^ t
    code.emit(op.localGet(t), op.localGet(t), op.localGet(t), op.i32Const(7), op.i32ShrU, op.i32Xor);
    code.emit(
      op.localGet(t),
      op.i32Const(61),
      op.i32Or,
      op.i32Mul,
      op.i32Add,
      op.localGet(t),
      op.i32Xor,
      op.localSet(t),
    );
  };
  code.emit(
    op.localGet(mask),
    op.localSet(row),
    op.localGet(rows),
    op.localTee(r),
    op.i32Const(0),
    op.i32GtU,
  );
  code.emit(op.localGet(units), op.i32Const(0), op.i32GtU, op.i32And, [0x04, 0x40], op.loop);
  code.emit(op.localGet(row), op.localSet(p), op.localGet(units), op.localSet(u), op.loop);
  next();
  // mask[p] = scale * ((((t ^ t >>> 14) >>> 1) - threshold) >>> 31)
  code.emit(op.localGet(p), op.localGet(scale));
  code.emit(
    op.localGet(t),
    op.localGet(t),
    op.i32Const(14),
    op.i32ShrU,
    op.i32Xor,
    op.i32Const(1),
    op.i32ShrU,
  );
  code.emit(
    op.localGet(threshold),
    op.i32Sub,
    op.i32Const(31),
    op.i32ShrU,
    op.f32ConvertI32U,
    op.f32Mul,
    op.f32Store(),
  );
  code.emit(op.localGet(p), op.i32Const(4), op.i32Add, op.localSet(p));
  code.emit(op.localGet(u), op.i32Const(1), op.i32Sub, op.localTee(u), op.brIf(0), op.end);
  code.emit(op.localGet(row), op.localGet(stride), op.i32Add, op.localSet(row));
  code.emit(op.localGet(r), op.i32Const(1), op.i32Sub, op.localTee(r), op.brIf(0));
  code.emit(op.end, op.end, op.localGet(state));
  return {
    name: 'dropoutFill',
    params: [I32, I32, I32, I32, I32, I32, F32],
    results: [I32],
    locals: L.types,
    body: code.bytes,
  };
}

/**
 * `gatherRows(src, order, start, count, rowBytes, dst)`: copies rows `order[start..start+count)` of
 * a row-major matrix at `src` (rows of `rowBytes`, a multiple of 16) to consecutive rows at `dst`.
 * The batch assembly of a shuffled epoch, done where the data already is.
 */
export function gatherRows(): WasmFunction {
  const [src, order, start, count, rowBytes, dst] = [0, 1, 2, 3, 4, 5];
  const L = new Locals(6);
  const p = L.add(I32), from = L.add(I32), to = L.add(I32), k = L.add(I32), end = L.add(I32); // prettier-ignore
  const code = new Code();
  code.emit(op.localGet(order), op.localGet(start), op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(p));
  code.emit(op.localGet(dst), op.localSet(to));
  code.emit(op.localGet(count), op.localTee(k), op.i32Const(0), op.i32GtU, [0x04, 0x40], op.loop);
  // from = src + order[p] * rowBytes; copy rowBytes in 16-byte vectors.
  code.emit(
    op.localGet(src),
    op.localGet(p),
    op.i32Load(),
    op.localGet(rowBytes),
    op.i32Mul,
    op.i32Add,
    op.localTee(from),
  );
  code.emit(op.localGet(rowBytes), op.i32Add, op.localSet(end));
  code.emit(op.loop);
  code.emit(op.localGet(to), op.localGet(from), op.v128Load(), op.v128Store());
  code.emit(op.localGet(to), op.i32Const(16), op.i32Add, op.localSet(to));
  code.emit(
    op.localGet(from),
    op.i32Const(16),
    op.i32Add,
    op.localTee(from),
    op.localGet(end),
    op.i32LtU,
    op.brIf(0),
  );
  code.emit(op.end);
  code.emit(op.localGet(p), op.i32Const(4), op.i32Add, op.localSet(p));
  code.emit(op.localGet(k), op.i32Const(1), op.i32Sub, op.localTee(k), op.brIf(0));
  code.emit(op.end, op.end);
  return { name: 'gatherRows', params: [I32, I32, I32, I32, I32, I32], locals: L.types, body: code.bytes };
}
