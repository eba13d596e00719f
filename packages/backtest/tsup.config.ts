import { defineConfig } from 'tsup';

export default defineConfig({
  // `errors` loads no zod: the `ktrdr` bin bundles it, to map a failed operation to its error class.
  // `services` is what the servers mount: it loads the training stack at once. The main entry loads
  // it only when a client first trains, so a CLI command that only reads data stays quick.
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
