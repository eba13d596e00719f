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
  // Production JSX even when a test (NODE_ENV=test) builds it: the dev transform would write each
  // source file's absolute path into the bundle.
  mode: 'production',
  // Production builds of dependencies too (lightweight-charts ships a larger development build
  // under the `development` export condition, which Vite would pick when NODE_ENV is not
  // `production`, as under vitest).
  resolve: { conditions: ['module', 'browser', 'production'] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  build: {
    outDir: fileURLToPath(new URL('./dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the package: they would double its size for a UI nobody debugs from npm.
    sourcemap: false,
    reportCompressedSize: false,
  },
});
