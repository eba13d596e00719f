import { defineConfig } from 'tsup';

export default defineConfig({
  // Subpath entries load no zod: the fast paths of the CLI (cached `data show`) stand on them.
  entry: { index: 'src/index.ts', errors: 'src/errors/index.ts', config: 'src/config/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
