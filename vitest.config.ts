import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = ['core', 'ib-sim', 'data', 'training', 'server', 'cli'] as const;

/** Tests import the SDK packages from their sources, so no build is needed before `vitest`. */
const alias = Object.fromEntries(
  packages.map((name) => [
    `@ktrdr/${name}`,
    fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
  ]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name, root: `packages/${name}`, include: ['test/**/*.test.ts'] },
      })),
      // Every example runs against the simulator, the way its README says to run it.
      {
        extends: true as const,
        test: { name: 'examples', root: 'examples', include: ['test/**/*.test.ts'] },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.d.ts', 'packages/*/src/bin/**'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        // The seed's gate: the foundation every other package stands on stays at least 95% covered.
        'packages/core/src/**/*.ts': { lines: 95 },
      },
    },
  },
});
