import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker thread's script is its own entry, emitted next to index.{js,cjs} where
  // resolveTrainingWorkerEntry() looks for it.
  entry: { index: 'src/index.ts', 'training-worker': 'src/worker/training-worker.ts' },
  format: ['esm', 'cjs'],
  // Types only for the public entry; the worker script has no importable surface.
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // import.meta.url locates the worker entry; shims make it work in the CJS build too.
  shims: true,
});
