// Minimal hand-assembled wasm module: gemm(a, b, c, bias, m, p, q, hasBias) in bytes / elements
const u = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n !== 0) b |= 0x80; o.push(b); } while (n !== 0); return o; };
const s = (n: number): number[] => { const o: number[] = []; for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { o.push(b); return o; } o.push(b | 0x80); } };
const vec = (items: number[][]): number[] => [...u(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...u(body.length), ...body];
const str = (t: string): number[] => vec([...Buffer.from(t)].map((c) => [c]));
const I32 = 0x7f, V128 = 0x7b;
const op = {
  get: (i: number) => [0x20, ...u(i)], set: (i: number) => [0x21, ...u(i)], tee: (i: number) => [0x22, ...u(i)],
  i32: (n: number) => [0x41, ...s(n)], add: [0x6a], mul: [0x6c], ltu: [0x49], shl: [0x74],
  loop: [0x03, 0x40], block: [0x02, 0x40], end: [0x0b], brIf: (d: number) => [0x0d, ...u(d)], if_: [0x04, 0x40],
  vload: (off = 0) => [0xfd, ...u(0), 4, ...u(off)], vstore: (off = 0) => [0xfd, ...u(11), 4, ...u(off)],
  vzero: [0xfd, ...u(12), ...new Array(16).fill(0)],
  fadd: [0xfd, ...u(228)], fmul: [0xfd, ...u(230)],
  shuffle: (lanes: number[]) => [0xfd, ...u(13), ...lanes.flatMap((l) => [l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3])],
};
// params: 0 a,1 b,2 c,3 bias,4 m,5 p,6 q (elements),7 hasBias
// locals i32: 8 i,9 j,10 k,11 a0,12 a1,13 b0,14 b1,15 b2,16 b3,17 q4,18 crow0, 19 crow1
// v128: 20..27 acc[r][c] = 20 + r*4 + c, 28 x0, 29 x1, 30 w
function gemmBody(): number[] {
  const c: number[] = [];
  const e = (...xs: number[][]) => { for (const x of xs) c.push(...x); };
  e(op.get(6), op.i32(2), op.shl, op.set(17));
  e(op.i32(0), op.set(8));
  e(op.loop); // i
  e(op.get(0), op.get(8), op.get(17), op.mul, op.add, op.tee(11), op.get(17), op.add, op.set(12));
  e(op.get(2), op.get(8), op.get(5), op.mul, op.i32(2), op.shl, op.add, op.tee(18), op.get(5), op.i32(2), op.shl, op.add, op.set(19));
  e(op.i32(0), op.set(9));
  e(op.loop); // j
  e(op.get(1), op.get(9), op.get(17), op.mul, op.add, op.tee(13), op.get(17), op.add, op.tee(14), op.get(17), op.add, op.tee(15), op.get(17), op.add, op.set(16));
  for (let t = 20; t < 28; t++) e(op.vzero, op.set(t));
  e(op.i32(0), op.set(10));
  e(op.loop); // k
  e(op.get(11), op.get(10), op.add, op.vload(), op.set(28));
  e(op.get(12), op.get(10), op.add, op.vload(), op.set(29));
  for (let col = 0; col < 4; col++) {
    e(op.get(13 + col), op.get(10), op.add, op.vload(), op.set(30));
    e(op.get(20 + col), op.get(28), op.get(30), op.fmul, op.fadd, op.set(20 + col));
    e(op.get(24 + col), op.get(29), op.get(30), op.fmul, op.fadd, op.set(24 + col));
  }
  e(op.get(10), op.i32(16), op.add, op.tee(10), op.get(17), op.ltu, op.brIf(0));
  e(op.end);
  for (let r = 0; r < 2; r++) {
    const a = 20 + r * 4;
    // s01 = shuf(acc0,acc1,[0,4,1,5]) + shuf(acc0,acc1,[2,6,3,7])
    e(op.get(2 + 0 * 0), []); c.pop(); c.pop(); // no-op placeholder removal
    e(op.get(r === 0 ? 18 : 19), op.get(9), op.i32(2), op.shl, op.add); // address for store
    e(op.get(a), op.get(a + 1), op.shuffle([0, 4, 1, 5]), op.get(a), op.get(a + 1), op.shuffle([2, 6, 3, 7]), op.fadd, op.set(28));
    e(op.get(a + 2), op.get(a + 3), op.shuffle([0, 4, 1, 5]), op.get(a + 2), op.get(a + 3), op.shuffle([2, 6, 3, 7]), op.fadd, op.set(29));
    e(op.get(28), op.get(29), op.shuffle([0, 1, 4, 5]), op.get(28), op.get(29), op.shuffle([2, 3, 6, 7]), op.fadd);
    e(op.get(3), op.get(9), op.i32(2), op.shl, op.add, op.vload(), op.fadd); // + bias (bias ptr points to zeros when none)
    e(op.vstore());
  }
  e(op.get(9), op.i32(4), op.add, op.tee(9), op.get(5), op.ltu, op.brIf(0));
  e(op.end);
  e(op.get(8), op.i32(2), op.add, op.tee(8), op.get(4), op.ltu, op.brIf(0));
  e(op.end);
  e(op.end);
  const locals = vec([[...u(12), I32], [...u(11), V128]]);
  const body = [...locals, ...c];
  return [...u(body.length), ...body];
}
export function buildModule(): Uint8Array {
  const bytes = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, ...vec(new Array(8).fill([I32])), ...vec([])]])),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, ...u(1)]])),
    ...section(3, vec([u(0)])),
    ...section(7, vec([[...str('gemm'), 0x00, ...u(0)]])),
    ...section(10, vec([gemmBody()])),
  ];
  return new Uint8Array(bytes);
}
