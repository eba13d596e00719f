import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

// `npm run build` empties dist first, so neither build cleans: they run side by side and must not
// delete each other's output.
// citty is bundled: it is ESM-only, and the CJS build must load on every Node 20 (`require` of ESM
// only arrived in 20.19); it also spares the bin one package lookup at start-up.
const noExternal = ['citty'];

/** The SDK's zod-free subpaths, by specifier: the sources the bin bundles them from. */
const BUNDLED_SDK_SOURCES: Readonly<Record<string, string>> = {
  '@ktrdr/core/errors': '../core/src/errors/index.ts',
  '@ktrdr/core/config': '../core/src/config/index.ts',
  '@ktrdr/data/store': '../data/src/store/index.ts',
  '@ktrdr/client/errors': '../client/src/operation-error.ts',
};

/** Resolves the bundled subpaths to their sources, so that the bin does not re-bundle their dist chunks. */
const bundledSdkSources: Plugin = {
  name: 'ktrdr-bundled-sdk-sources',
  setup(build) {
    build.onResolve({ filter: /^@ktrdr\// }, ({ path }) => {
      const source = BUNDLED_SDK_SOURCES[path];
      // Anything else (the SDK's main entries) stays external, for esbuild's own resolution.
      return source === undefined ? undefined : { path: fileURLToPath(new URL(source, import.meta.url)) };
    });
  },
};

export default defineConfig([
  {
    // The library: `runCli` for programs and tests, ESM + CJS with types.
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    noExternal,
    clean: false,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The `ktrdr` bin: ONE CommonJS file, with citty and the SDK's zod-free subpaths (errors, config,
    // the store) bundled in. Node 20 has no compile cache, and its ESM loader costs about a
    // millisecond per module file, so a code-split ESM bin spent more time finding and linking
    // files than running `--help` or `data show` (bench/RESULTS.md, cli-latency). Commands import
    // the rest of the SDK with `await import()`, which stays a real dynamic import here: it loads
    // the SDK's ESM builds, only for the commands that use them.
    entry: { 'bin/ktrdr': 'src/bin/ktrdr.ts' },
    format: ['cjs'],
    noExternal: [...noExternal, ...Object.keys(BUNDLED_SDK_SOURCES)],
    esbuildPlugins: [bundledSdkSources],
    // import.meta.url in the bundled store code (BarFrame loads arquero lazily relative to it).
    shims: true,
    clean: false,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
