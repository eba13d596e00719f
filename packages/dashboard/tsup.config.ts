import { defineConfig } from 'tsup';

// The Node entry only; the browser app in web/ is built by Vite into dist/app (`npm run build`
// runs tsup first, whose clean would otherwise delete it).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // `import.meta.url` in the CJS build, to find dist/app beside the module.
  shims: true,
});
