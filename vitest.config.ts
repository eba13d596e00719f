import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = [
  'core',
  'ib-sim',
  'data',
  'training',
  'backtest',
  'queue',
  'client',
  'server',
  'cli',
  'dashboard',
] as const;

/** The packages' subpath entries, by specifier: the source each one is built from. */
const subpaths: Record<string, string> = {
  '@ktrdr/core/errors': 'core/src/errors/index.ts',
  '@ktrdr/core/config': 'core/src/config/index.ts',
  '@ktrdr/data/store': 'data/src/store/index.ts',
  '@ktrdr/client/services': 'client/src/services/index.ts',
  '@ktrdr/client/errors': 'client/src/operation-error.ts',
};

const source = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests import the SDK packages from their sources, so no build is needed before `vitest`. Exact
 * matches: a plain `@ktrdr/core` alias would also rewrite `@ktrdr/core/errors` as a path under it.
 */
const alias = [
  ...Object.entries(subpaths).map(([specifier, path]) => ({ find: specifier, replacement: source(path) })),
  ...packages.map((name) => ({
    find: new RegExp(`^@ktrdr/${name}$`),
    replacement: source(`${name}/src/index.ts`),
  })),
];

export default defineConfig({
  resolve: { alias },
  test: {
    // The dashboard's build, before the server and CLI tests that serve it (see the file).
    globalSetup: [source('dashboard/test/support/global-setup.ts')],
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
