import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The bins: ESM only (Node 20 runs it natively), no types, started by the shebang.
    entry: {
      'bin/ktrdr-api': 'src/bin/ktrdr-api.ts',
      'bin/ktrdr-ib-host': 'src/bin/ktrdr-ib-host.ts',
      'bin/ktrdr-training-host': 'src/bin/ktrdr-training-host.ts',
    },
    format: ['esm'],
    // Not cleaned: the library build above owns the dist folder.
    clean: false,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
