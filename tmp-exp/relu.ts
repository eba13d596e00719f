const mem = new WebAssembly.Memory({ initial: 64 });
const heap = new Float32Array(mem.buffer, 0, 200000); const hi = new Int32Array(mem.buffer, 0, 200000);
function init() { for (let i = 0; i < 100000; i++) heap[i] = Math.sin(i * 12.9898) ; }
const variants: [string, () => void][] = [
  ['branch', () => { for (let q = 0; q < 24576; q++) heap[q] = heap[q]! > 0 ? heap[q]! : 0; }],
  ['max', () => { for (let q = 0; q < 24576; q++) heap[q] = Math.max(heap[q]!, 0); }],
  ['sign', () => { for (let q = 0; q < 24576; q++) heap[q] = heap[q]! * (1 - (hi[q]! >>> 31)); }],
];
for (let k = 0; k < 2; k++) for (const [name, f] of variants) { const R = 3000; let tt = 0; for (let r = 0; r < R; r++) { init(); const t = performance.now(); f(); tt += performance.now() - t; } console.log(name, (tt / R / 24576 * 1e6).toFixed(2), 'ns'); }
