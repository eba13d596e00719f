import { Code, Locals } from './wasm-code';
import { I32, op, V128, type WasmFunction } from './wasm-encoder';

/** 64-bit float (the kernel's scalar parameters). */
const F64 = 0x7c;
/** memarg of an 8-byte access: alignment exponent 3, offset 0. */
const memarg64 = [3, 0];
const f64x2 = {
  splat: [0xfd, 0x14],
  add: [0xfd, 0xf0, 0x01],
  sub: [0xfd, 0xf1, 0x01],
  mul: [0xfd, 0xf2, 0x01],
  div: [0xfd, 0xf3, 0x01],
  sqrt: [0xfd, 0xef, 0x01],
};
/** `v128.load64_zero` then `f64x2.promote_low_f32x4`. */
const widenLoad = [0xfd, 0x5d, ...memarg64, 0xfd, 0x5f];
/** `f32x4.demote_f64x2_zero` then `v128.store64_lane` lane 0. */
const narrowStore = [0xfd, 0x5e, 0xfd, 0x5b, ...memarg64, 0];

/**
 * `adam(w, g, m, v, n, lr, c1, c2, beta1, 1 - beta1, beta2, 1 - beta2, eps)`: the fused engine's
 * Adam step on `n` parameters (a multiple of 2), two at a time in float64 lanes. JavaScript
 * evaluates the same formula in float64 and rounds on each store to the Float32Array, and IEEE
 * float64 arithmetic is exact to the bit in both, with the operations in the same order, so this
 * kernel gives the very bits the JavaScript loop gives (the tests compare them), ~5x faster:
 *
 *   m' = beta1 * m + (1 - beta1) * g;  v' = beta2 * v + ((1 - beta2) * g) * g
 *   w' = w - (lr * (m' / c1)) / (sqrt(v' / c2) + eps)     (m', v' stored rounded, used unrounded)
 */
export function adam(): WasmFunction {
  const [w, g, m, v, n] = [0, 1, 2, 3, 4];
  const scalars = [5, 6, 7, 8, 9, 10, 11, 12];
  const L = new Locals(13);
  const i = L.add(I32), end = L.add(I32), grad = L.add(V128), mi = L.add(V128), vi = L.add(V128); // prettier-ignore
  const [lr, c1, c2, b1, b1c, b2, b2c, eps] = scalars.map(() => L.add(V128)) as [
    number, number, number, number, number, number, number, number,
  ]; // prettier-ignore
  const code = new Code();
  scalars.forEach((p, k) =>
    code.emit(op.localGet(p), f64x2.splat, op.localSet([lr, c1, c2, b1, b1c, b2, b2c, eps][k]!)),
  );
  const at = (base: number) => [...op.localGet(base), ...op.localGet(i), ...op.i32Add];
  // end = n * 4 bytes; for (i = 0; i < end; i += 8)
  code.emit(op.localGet(n), op.i32Const(2), op.i32Shl, op.localTee(end), op.i32Const(0), op.i32GtU);
  code.emit([0x04, 0x40], op.i32Const(0), op.localSet(i), op.loop);
  code.emit(at(g), widenLoad, op.localSet(grad));
  // mi = b1 * m + b1c * grad
  code.emit(
    op.localGet(b1),
    at(m),
    widenLoad,
    f64x2.mul,
    op.localGet(b1c),
    op.localGet(grad),
    f64x2.mul,
    f64x2.add,
    op.localSet(mi),
  );
  // vi = b2 * v + (b2c * grad) * grad
  code.emit(op.localGet(b2), at(v), widenLoad, f64x2.mul);
  code.emit(
    op.localGet(b2c),
    op.localGet(grad),
    f64x2.mul,
    op.localGet(grad),
    f64x2.mul,
    f64x2.add,
    op.localSet(vi),
  );
  code.emit(at(m), op.localGet(mi), narrowStore);
  code.emit(at(v), op.localGet(vi), narrowStore);
  // w = w - (lr * (mi / c1)) / (sqrt(vi / c2) + eps)
  code.emit(at(w), at(w), widenLoad);
  code.emit(op.localGet(lr), op.localGet(mi), op.localGet(c1), f64x2.div, f64x2.mul);
  code.emit(op.localGet(vi), op.localGet(c2), f64x2.div, f64x2.sqrt, op.localGet(eps), f64x2.add, f64x2.div);
  code.emit(f64x2.sub, narrowStore);
  code.emit(
    op.localGet(i),
    op.i32Const(8),
    op.i32Add,
    op.localTee(i),
    op.localGet(end),
    op.i32LtU,
    op.brIf(0),
  );
  code.emit(op.end, op.end);
  return {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64],
    locals: L.types,
    body: code.bytes,
  };
}
