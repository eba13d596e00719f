import { I32, op, V128, type WasmFunction } from './wasm-encoder';
import { Code, Locals } from './wasm-code';

const ROWS = 4;

/**
 * `gemmAB(a, aRowStride, aColStride, b, c, bias, m, p, q)`, byte addresses and strides.
 * Register block: 4 rows x 8 columns (two vectors) while 8 columns remain, then 4 x 4. Each step
 * of k broadcasts one A value per row against a row of B: 6 loads feed 32 multiply-adds.
 */
export function gemmAB(): WasmFunction {
  const [a, ars, acs, b, c, bias, m, p, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const L = new Locals(9);
  const i = L.add(I32), j = L.add(I32), k = L.add(I32), pb = L.add(I32), bp = L.add(I32), cRow = L.add(I32), cp = L.add(I32); // prettier-ignore
  const aRow = Array.from({ length: ROWS }, () => L.add(I32));
  const ap = Array.from({ length: ROWS }, () => L.add(I32));
  const acc = Array.from({ length: ROWS }, () => [L.add(V128), L.add(V128)]);
  const w = [L.add(V128), L.add(V128)];
  const x = L.add(V128);
  const code = new Code();
  const e = (...parts: ReadonlyArray<readonly number[]>): void => void code.emit(...parts);

  const blockBody = (vectors: number): void => {
    for (let r = 0; r < ROWS; r++) {
      for (let v = 0; v < vectors; v++) {
        e(
          op.localGet(bias),
          op.localGet(j),
          op.i32Const(2),
          op.i32Shl,
          op.i32Add,
          op.v128Load(16 * v),
          op.localSet(acc[r]![v]!),
        );
      }
      e(op.localGet(aRow[r]!), op.localSet(ap[r]!));
    }
    e(op.localGet(b), op.localGet(j), op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(bp));
    e(op.localGet(q), op.localSet(k));
    e(op.loop);
    for (let v = 0; v < vectors; v++) e(op.localGet(bp), op.v128Load(16 * v), op.localSet(w[v]!));
    for (let r = 0; r < ROWS; r++) {
      e(op.localGet(ap[r]!), op.v128Load32Splat(), op.localSet(x));
      for (let v = 0; v < vectors; v++) {
        e(
          op.localGet(acc[r]![v]!),
          op.localGet(x),
          op.localGet(w[v]!),
          op.f32x4Mul,
          op.f32x4Add,
          op.localSet(acc[r]![v]!),
        );
      }
      e(op.localGet(ap[r]!), op.localGet(acs), op.i32Add, op.localSet(ap[r]!));
    }
    e(op.localGet(bp), op.localGet(pb), op.i32Add, op.localSet(bp));
    e(op.localGet(k), op.i32Const(1), op.i32Sub, op.localTee(k), op.brIf(0));
    e(op.end);
    e(op.localGet(cRow), op.localGet(j), op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(cp));
    for (let r = 0; r < ROWS; r++) {
      for (let v = 0; v < vectors; v++) e(op.localGet(cp), op.localGet(acc[r]![v]!), op.v128Store(16 * v));
      e(op.localGet(cp), op.localGet(pb), op.i32Add, op.localSet(cp));
    }
  };

  e(op.localGet(p), op.i32Const(2), op.i32Shl, op.localSet(pb));
  e(op.i32Const(0), op.localSet(i));
  e(op.loop);
  e(op.localGet(a), op.localGet(i), op.localGet(ars), op.i32Mul, op.i32Add, op.localSet(aRow[0]!));
  for (let r = 1; r < ROWS; r++)
    e(op.localGet(aRow[r - 1]!), op.localGet(ars), op.i32Add, op.localSet(aRow[r]!));
  e(op.localGet(c), op.localGet(i), op.localGet(pb), op.i32Mul, op.i32Add, op.localSet(cRow));
  e(op.i32Const(0), op.localSet(j));
  // 8-column blocks while at least 8 columns remain.
  e(op.block, op.localGet(j), op.i32Const(8), op.i32Add, op.localGet(p), op.i32GtU, op.brIf(0), op.loop);
  blockBody(2);
  e(op.localGet(j), op.i32Const(8), op.i32Add, op.localTee(j));
  e(op.i32Const(8), op.i32Add, op.localGet(p), op.i32GtU, op.i32Const(1), op.i32Sub, op.brIf(0));
  e(op.end, op.end);
  // The remaining 4 columns, if any (p is a multiple of 4).
  e(op.block, op.localGet(j), op.localGet(p), op.i32GeU, op.brIf(0), op.loop);
  blockBody(1);
  e(op.localGet(j), op.i32Const(4), op.i32Add, op.localTee(j), op.localGet(p), op.i32LtU, op.brIf(0));
  e(op.end, op.end);
  e(op.localGet(i), op.i32Const(ROWS), op.i32Add, op.localTee(i), op.localGet(m), op.i32LtU, op.brIf(0));
  e(op.end);
  return { name: 'gemmAB', params: new Array<number>(9).fill(I32), locals: L.types, body: code.bytes };
}

/**
 * `gemmABt(a, b, c, m, p, q)`, byte addresses: dot products of contiguous rows, 2 rows of A
 * against 4 rows of B per block, 8 vector accumulators reduced horizontally with shuffles.
 */
export function gemmABt(): WasmFunction {
  const [a, b, c, m, p, q] = [0, 1, 2, 3, 4, 5];
  const L = new Locals(6);
  const i = L.add(I32), j = L.add(I32), k = L.add(I32), q4 = L.add(I32), a0 = L.add(I32), a1 = L.add(I32); // prettier-ignore
  const bRow = [L.add(I32), L.add(I32), L.add(I32), L.add(I32)];
  const cRow0 = L.add(I32), cRow1 = L.add(I32); // prettier-ignore
  const acc = [0, 1].map(() => [L.add(V128), L.add(V128), L.add(V128), L.add(V128)]);
  const x0 = L.add(V128), x1 = L.add(V128), wv = L.add(V128); // prettier-ignore
  const code = new Code();
  const e = (...parts: ReadonlyArray<readonly number[]>): void => void code.emit(...parts);
  e(op.localGet(q), op.i32Const(2), op.i32Shl, op.localSet(q4));
  e(op.i32Const(0), op.localSet(i));
  e(op.loop);
  e(
    op.localGet(a),
    op.localGet(i),
    op.localGet(q4),
    op.i32Mul,
    op.i32Add,
    op.localTee(a0),
    op.localGet(q4),
    op.i32Add,
    op.localSet(a1),
  );
  e(
    op.localGet(c),
    op.localGet(i),
    op.localGet(p),
    op.i32Mul,
    op.i32Const(2),
    op.i32Shl,
    op.i32Add,
    op.localTee(cRow0),
  );
  e(op.localGet(p), op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(cRow1));
  e(op.i32Const(0), op.localSet(j));
  e(op.loop);
  e(op.localGet(b), op.localGet(j), op.localGet(q4), op.i32Mul, op.i32Add, op.localSet(bRow[0]!));
  for (let t = 1; t < 4; t++) e(op.localGet(bRow[t - 1]!), op.localGet(q4), op.i32Add, op.localSet(bRow[t]!));
  for (const row of acc) for (const v of row) e(op.v128Zero, op.localSet(v));
  e(op.i32Const(0), op.localSet(k));
  e(op.loop);
  e(op.localGet(a0), op.localGet(k), op.i32Add, op.v128Load(), op.localSet(x0));
  e(op.localGet(a1), op.localGet(k), op.i32Add, op.v128Load(), op.localSet(x1));
  for (let t = 0; t < 4; t++) {
    e(op.localGet(bRow[t]!), op.localGet(k), op.i32Add, op.v128Load(), op.localSet(wv));
    e(
      op.localGet(acc[0]![t]!),
      op.localGet(x0),
      op.localGet(wv),
      op.f32x4Mul,
      op.f32x4Add,
      op.localSet(acc[0]![t]!),
    );
    e(
      op.localGet(acc[1]![t]!),
      op.localGet(x1),
      op.localGet(wv),
      op.f32x4Mul,
      op.f32x4Add,
      op.localSet(acc[1]![t]!),
    );
  }
  e(op.localGet(k), op.i32Const(16), op.i32Add, op.localTee(k), op.localGet(q4), op.i32LtU, op.brIf(0));
  e(op.end);
  // Horizontal sums of 4 accumulators into one vector: transpose-and-add in two shuffle rounds.
  for (let r = 0; r < 2; r++) {
    const [s0, s1, s2, s3] = acc[r]! as [number, number, number, number];
    e(op.localGet(r === 0 ? cRow0 : cRow1), op.localGet(j), op.i32Const(2), op.i32Shl, op.i32Add);
    e(
      op.localGet(s0),
      op.localGet(s1),
      op.shuffle32([0, 4, 1, 5]),
      op.localGet(s0),
      op.localGet(s1),
      op.shuffle32([2, 6, 3, 7]),
    );
    e(op.f32x4Add, op.localSet(x0));
    e(
      op.localGet(s2),
      op.localGet(s3),
      op.shuffle32([0, 4, 1, 5]),
      op.localGet(s2),
      op.localGet(s3),
      op.shuffle32([2, 6, 3, 7]),
    );
    e(op.f32x4Add, op.localSet(x1));
    e(
      op.localGet(x0),
      op.localGet(x1),
      op.shuffle32([0, 1, 4, 5]),
      op.localGet(x0),
      op.localGet(x1),
      op.shuffle32([2, 3, 6, 7]),
    );
    e(op.f32x4Add, op.v128Store());
  }
  e(op.localGet(j), op.i32Const(4), op.i32Add, op.localTee(j), op.localGet(p), op.i32LtU, op.brIf(0));
  e(op.end);
  e(op.localGet(i), op.i32Const(2), op.i32Add, op.localTee(i), op.localGet(m), op.i32LtU, op.brIf(0));
  e(op.end);
  return { name: 'gemmABt', params: new Array<number>(6).fill(I32), locals: L.types, body: code.bytes };
}
