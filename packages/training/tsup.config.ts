import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker threads' scripts are their own entries, emitted next to index.{js,cjs} where
  // resolveTrainingWorkerEntry() and the two-thread fused engine look for them.
  entry: {
    index: 'src/index.ts',
    'training-worker': 'src/worker/training-worker.ts',
    'shard-worker': 'src/trainer/fused/shard-worker.ts',
  },
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
