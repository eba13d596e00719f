import { defineConfig } from 'tsup';

export default defineConfig({
  // Subpath entries load no zod: the fast paths of the CLI (cached `data show`) stand on them.
  entry: { index: 'src/index.ts', store: 'src/store/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // import.meta.url in the CJS build (BarFrame loads arquero lazily relative to it).
  shims: true,
});
