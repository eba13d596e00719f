import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // Both configs build concurrently into dist/: the library must not wipe the bin's output.
    clean: ['!bin/**'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { 'bin/ktrdr-ib-sim': 'src/bin/ktrdr-ib-sim.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
