import { encodeModule } from '../packages/training/src/trainer/fused/wasm-encoder';
import { gemmAB, gemmABt } from '../packages/training/src/trainer/fused/wasm-kernels';
for (const f of [gemmAB(), gemmABt()]) { try { new WebAssembly.Module(encodeModule([f], 1)); console.log(f.name, 'ok'); } catch (e) { console.log(f.name, String(e)); } }
