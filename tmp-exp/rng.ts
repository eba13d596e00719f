const heap = new Float32Array(200000);
function fillA(target: Float32Array, offset: number, n: number, thr: number, scale: number, s0: number) {
  let state = s0;
  for (let j = offset; j < offset + n; j++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    target[j] = (t ^ (t >>> 14)) >>> 0 < thr ? scale : 0;
  }
  return state;
}
function fillB(target: Float32Array, offset: number, n: number, thr: number, scale: number, s0: number) {
  // signed compare: x>>>0 < thr  <=>  (x ^ 0x80000000)|0 < thr - 2^31
  const sthr = (thr - 2147483648) | 0;
  let state = s0 | 0;
  for (let j = offset; j < offset + n; j++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    target[j] = ((t ^ (t >>> 14)) ^ 0x80000000) < sthr ? scale : 0;
  }
  return state;
}
function fillC(target: Float32Array, offset: number, n: number, thr: number, scale: number, s0: number) {
  const sthr = (thr - 2147483648) | 0;
  let state = s0 | 0;
  for (let j = offset; j < offset + n; j++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    t = t ^ (t >>> 14) ^ -2147483648;
    target[j] = t < sthr ? scale : 0;
  }
  return state;
}
for (const [name, f] of [['A', fillA], ['B', fillB], ['C', fillC], ['A', fillA]] as const) {
  let s = 1; const R = 3000; const t = performance.now();
  for (let r = 0; r < R; r++) s = f(heap, 1000, 24576, Math.round(0.8 * 4294967296), 1.25, s);
  let kept = 0; for (let j = 1000; j < 1000 + 24576; j++) if (heap[j]) kept++;
  console.log(name, ((performance.now() - t) / R / 24576 * 1e6).toFixed(2), 'ns', (kept / 24576).toFixed(3));
}
function fillD(target: Float32Array, offset: number, n: number, thr: number, scale: number, s0: number) {
  const thr16 = Math.round((thr / 4294967296) * 65536);
  let state = s0 | 0; let bits = 0; let have = false;
  for (let j = offset; j < offset + n; j++) {
    let v: number;
    if (have) { v = bits >>> 16; have = false; } else {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
      bits = t ^ (t >>> 14); v = bits & 0xffff; have = true;
    }
    target[j] = v < thr16 ? scale : 0;
  }
  return state;
}
function fillE(target: Float32Array, offset: number, n: number, thr: number, scale: number, s0: number) {
  const sthr = (thr - 2147483648) | 0;
  let x = s0 | 0 || 1;
  for (let j = offset; j < offset + n; j++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    target[j] = (x ^ -2147483648) < sthr ? scale : 0;
  }
  return x;
}
for (const [name, f] of [['D', fillD], ['E', fillE], ['D', fillD], ['E', fillE]] as const) {
  let s = 1; const R = 3000; const t = performance.now();
  for (let r = 0; r < R; r++) s = f(heap, 1000, 24576, Math.round(0.8 * 4294967296), 1.25, s);
  let kept = 0; for (let j = 1000; j < 1000 + 24576; j++) if (heap[j]) kept++;
  console.log(name, ((performance.now() - t) / R / 24576 * 1e6).toFixed(2), 'ns', (kept / 24576).toFixed(3));
}
function fillF(target: Float32Array, offset: number, n: number, thr: number, scale: number, s0: number) {
  const thr31 = Math.round(thr / 2) | 0; const table = new Float32Array([0, scale]);
  let state = s0 | 0;
  for (let j = offset; j < offset + n; j++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    target[j] = table[(((t ^ (t >>> 14)) >>> 1) - thr31) >>> 31]!;
  }
  return state;
}
function fillG(target: Float32Array, offset: number, n: number, thr: number, scale: number, s0: number) {
  const thr31 = Math.round(thr / 2) | 0;
  let state = s0 | 0;
  for (let j = offset; j < offset + n; j++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    target[j] = scale * ((((t ^ (t >>> 14)) >>> 1) - thr31) >>> 31);
  }
  return state;
}
for (const [name, f] of [['F', fillF], ['G', fillG], ['F', fillF], ['G', fillG]] as const) {
  let s = 1; const R = 3000; const t = performance.now();
  for (let r = 0; r < R; r++) s = f(heap, 1000, 24576, Math.round(0.8 * 4294967296), 1.25, s);
  let kept = 0; for (let j = 1000; j < 1000 + 24576; j++) if (heap[j]) kept++;
  console.log(name, ((performance.now() - t) / R / 24576 * 1e6).toFixed(2), 'ns', (kept / 24576).toFixed(3));
}
