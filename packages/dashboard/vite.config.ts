import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser app (web/) built into dist/app, which the package ships and the API serves at
 * /dashboard. Relative asset URLs (`base: './'`), so the same files work under any mount path.
 * Preact's automatic JSX runtime through Vite's own transform: no Babel.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the package: they would double its size for a UI nobody debugs from npm.
    sourcemap: false,
    reportCompressedSize: false,
  },
});
