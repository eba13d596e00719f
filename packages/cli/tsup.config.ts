import { defineConfig } from 'tsup';

// `npm run build` empties dist first, so neither build cleans: they run side by side and must not
// delete each other's output.
// citty is bundled: it is ESM-only, and the CJS build must load on every Node 20 (`require` of ESM
// only arrived in 20.19); it also spares the bin one package lookup at start-up.
const noExternal = ['citty'];

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
    // The `ktrdr` bin: ESM only, code-split so that every command's dynamic import is its own
    // chunk and `ktrdr --help` loads none of the SDK.
    entry: { 'bin/ktrdr': 'src/bin/ktrdr.ts' },
    format: ['esm'],
    splitting: true,
    noExternal,
    clean: false,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
