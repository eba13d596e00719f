import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * What only `@ktrdr/client` constructs: the services, their managers, adapters, IB sources and
 * trainers. Not `CsvStore`: the CLI's cached `data show` reads the store directly, bundled in the
 * bin, so that it starts without loading the SDK (bench/cli-latency).
 */
const SERVICE_CLASS_NAMES = [
  'DataService',
  'TrainingService',
  'AsyncDataManager',
  'TrainingManager',
  'AsyncDataAdapter',
  'TrainingAdapter',
  'BacktestService',
  'BacktestManager',
  'BacktestAdapter',
  'BacktestRunner',
  'OperationRegistry',
  'IbClient',
  'IbConnection',
];
/** Factories that build the same things. */
const SERVICE_FACTORY_NAMES = [
  'createIbDataSource',
  'createLocalTrainer',
  'createInProcessTransport',
  'createHttpTransport',
  // The queue's parts: `openApiQueue` and `startKtrdrWorker` of @ktrdr/client/services assemble them.
  'startQueueWorker',
  'createClientJobRunner',
  'createQueueStartService',
  'createQueueOperationsService',
];
/** An esquery regex matching any of `names` exactly. */
const anyOf = (names) => `/^(${names.join('|')})$/`;
const SERVICE_CLASSES = anyOf(SERVICE_CLASS_NAMES);
const SERVICE_FACTORIES = anyOf(SERVICE_FACTORY_NAMES);

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '**/*.cjs',
      'bench/.out/**',
      '.docs-check/**',
      'tmp-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@ktrdr/cli', '@ktrdr/server'], message: 'Nothing imports cli or server.' }] },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@ktrdr/*'], message: 'core is the bottom layer: it imports no other @ktrdr package.' },
          ],
        },
      ],
    },
  },
  {
    // `@ktrdr/data/store` loads no zod, so that the CLI's cached `data show` starts fast: what it
    // is built from takes its errors from `@ktrdr/core/errors`, not from all of core.
    files: [
      'packages/data/src/{store,domain,calendar,gaps}/**/*.ts',
      'packages/data/src/host-service/wire-bars.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@ktrdr/core', message: 'Import from @ktrdr/core/errors or @ktrdr/core/config.' }],
          patterns: [{ group: ['@ktrdr/cli', '@ktrdr/server'], message: 'Nothing imports cli or server.' }],
        },
      ],
    },
  },
  {
    // The CLI, the client's tests, examples and benchmarks compose the whole SDK, servers included.
    files: [
      'packages/cli/**/*.ts',
      'packages/client/test/**/*.ts',
      'packages/dashboard/test/**/*.ts',
      'examples/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The bin is one file that loads no SDK package at start-up: commands import the SDK when they
    // run (`await import('@ktrdr/data')`), or its zod-free subpaths, which the bin bundles.
    files: ['packages/cli/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            '@ktrdr/core',
            '@ktrdr/data',
            '@ktrdr/training',
            '@ktrdr/client',
            '@ktrdr/server',
            '@ktrdr/ib-sim',
            '@ktrdr/queue',
          ].map((name) => ({
            name,
            allowTypeImports: true,
            message: `Import ${name} with await import() where it is used, or a zod-free subpath.`,
          })),
        },
      ],
    },
  },
  {
    // The client is the layer above the services: it composes core, data and training, never a
    // server or the CLI.
    files: ['packages/client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ktrdr/cli', '@ktrdr/server', '@ktrdr/ib-sim'],
              message:
                'The client imports the SDK packages below it, never a server, the CLI or the simulator.',
            },
          ],
        },
      ],
    },
  },
  {
    // The queue runs operations as jobs: like the client, it composes core, data and training.
    files: ['packages/queue/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ktrdr/cli', '@ktrdr/server', '@ktrdr/client', '@ktrdr/ib-sim'],
              message: 'The queue imports core, data and training only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Without a Redis URL nothing loads BullMQ or ioredis: the servers name `@ktrdr/queue` in types
    // only, and the client (which assembles the queue) imports it with `await import()` when
    // `--redis` / `KTRDR_REDIS_URL` is set.
    files: ['packages/server/src/**/*.ts', 'packages/client/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@ktrdr/queue',
              allowTypeImports: true,
              message: 'Import @ktrdr/queue with await import() where a Redis URL is set.',
            },
          ],
        },
      ],
    },
  },
  {
    // The servers route and the CLI renders: every service, adapter and IB source is built by
    // `@ktrdr/client` (`createKtrdrClient`, `@ktrdr/client/services`), the one place they are assembled.
    files: ['packages/cli/src/**/*.ts', 'packages/server/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        // `new DataService()`, `new data.DataService()`, `createIbDataSource()`, `core.createHttpTransport()`.
        ...[
          `NewExpression[callee.name=${SERVICE_CLASSES}]`,
          `NewExpression[callee.property.name=${SERVICE_CLASSES}]`,
          `CallExpression[callee.name=${SERVICE_FACTORIES}]`,
          `CallExpression[callee.property.name=${SERVICE_FACTORIES}]`,
        ].map((selector) => ({
          selector,
          message:
            'Services are assembled in @ktrdr/client only: get them from createKtrdrClient or @ktrdr/client/services.',
        })),
      ],
    },
  },
);
