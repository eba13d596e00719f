import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInstallWithin, MB } from './support/install-size';
import { daysAgo, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';
import { REPO_ROOT } from './support/spawn-ktrdr';

const run = promisify(execFile);

/**
 * Installs the packed tarballs of every package into an empty project and uses them as a user
 * would. Slow (a full build, packs, an install), so it runs only when asked: KTRDR_PACK_TEST=1, or
 * in CI. The install prefers the local npm cache, so it also works without a network once the
 * dependencies have been installed on this machine. It installs as a user would, with no flags: no
 * ONNXRUNTIME_NODE_INSTALL, nothing in an .npmrc.
 */
const enabled = process.env['KTRDR_PACK_TEST'] === '1' || process.env['CI'] === 'true';
const PACKAGES = [
  'core',
  'ib-sim',
  'data',
  'training',
  'backtest',
  'queue',
  'client',
  'dashboard',
  'server',
  'cli',
] as const;
/** The packages' subpath entries: the zod-free parts the CLI's fast paths stand on, the client's service assembly. */
const SUBPATHS = [
  '@ktrdr/core/errors',
  '@ktrdr/core/config',
  '@ktrdr/data/store',
  '@ktrdr/client/errors',
  '@ktrdr/client/services',
];
const MINUTES = 60_000;
/**
 * Size budgets of node_modules in MB (10^6 bytes), measured + about 15%: the CLI (it depends on
 * every @ktrdr package; 136.5 MB measured) and data only (`@ktrdr/core @ktrdr/data`; 20.6 MB).
 * README.md states the measured sizes: move a budget only with the README's figure.
 */
const CLI_INSTALL_BUDGET_MB = 157;
const DATA_INSTALL_BUDGET_MB = 24;

describe.skipIf(!enabled)('packed packages in an empty project', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  /** The empty project the tarballs are installed into. */
  let app: string;
  /** A second empty project with only `@ktrdr/core @ktrdr/data` installed. */
  let dataApp: string;
  let simulator: IbSimulator;
  let ibEnv: Record<string, string>;
  const tarballs: Record<string, string> = {};
  // No install flag of ours may reach the user's install: not from CI's environment, not from the
  // repository's .npmrc through an `npm test` parent (npm_config_*).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/onnxruntime/i.test(name)),
  ) as NodeJS.ProcessEnv;
  const inProject = (command: string, args: string[], extra: Record<string, string> = {}) =>
    run(command, args, { cwd: app, env: { ...env, ...extra }, maxBuffer: 64 * 1024 * 1024 });

  beforeAll(async () => {
    work = await tempDir('ktrdr-pack-');
    await run('npm', ['run', 'build'], { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    const packs = join(work.path, 'tarballs');
    await mkdir(packs);
    for (const name of PACKAGES) {
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packs], {
        cwd: join(REPO_ROOT, 'packages', name),
        env,
      });
      const [info] = JSON.parse(stdout) as { filename: string }[];
      tarballs[name] = join(packs, info?.filename ?? '');
    }
    app = join(work.path, 'app');
    await mkdir(app);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'ktrdr-pack-test', private: true }, null, 2),
    );
    await inProject('npm', [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      ...PACKAGES.map((name) => tarballs[name] as string),
    ]);
    dataApp = join(work.path, 'data-app');
    await mkdir(dataApp);
    await writeFile(
      join(dataApp, 'package.json'),
      JSON.stringify({ name: 'ktrdr-pack-test-data', private: true }, null, 2),
    );
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', tarballs.core ?? '', tarballs.data ?? ''],
      { cwd: dataApp, env },
    );
    ({ simulator, env: ibEnv } = await startSimulator());
  }, 20 * MINUTES);

  it('stays within the install size budgets: the CLI, and data only', async () => {
    const cli = await expectInstallWithin(app, CLI_INSTALL_BUDGET_MB, 'The CLI install');
    const data = await expectInstallWithin(
      dataApp,
      DATA_INSTALL_BUDGET_MB,
      'The data-only install (@ktrdr/core @ktrdr/data)',
    );
    // The measured sizes, for README.md when a budget moves.
    console.log(`install sizes: cli ${(cli / MB).toFixed(1)} MB, data only ${(data / MB).toFixed(1)} MB`);
    expect(existsSync(join(dataApp, 'node_modules', '@tensorflow'))).toBe(false);
    // The full TF.js bundle (webgl, converter, data, core-js) is never used in Node.
    expect(existsSync(join(app, 'node_modules', '@tensorflow', 'tfjs'))).toBe(false);
  });

  it('installs no onnxruntime-node (an optional peer: its install script downloads CUDA binaries)', async () => {
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-node'))).toBe(false);
    const lock = JSON.parse(await readFile(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript === true)
      .map(([path]) => path);
    expect(withScripts.filter((path) => /onnxruntime/.test(path))).toEqual([]);
  });

  afterAll(async () => {
    await simulator?.close();
    await work?.remove();
  });

  it(
    'runs `npx ktrdr --version`',
    async () => {
      const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as {
        version: string;
      };
      const { stdout } = await inProject('npx', ['--no-install', 'ktrdr', '--version']);
      expect(stdout.trim()).toBe(pkg.version);
    },
    2 * MINUTES,
  );

  it(
    'loads from the simulator and shows the stored bars with `npx ktrdr`',
    async () => {
      const store = ['--data-dir', join(app, 'store')];
      await inProject(
        'npx',
        [
          '--no-install',
          'ktrdr',
          'data',
          'load',
          'AAPL',
          '-t',
          '1h',
          '--start',
          daysAgo(30),
          '--no-progress',
          ...store,
        ],
        ibEnv,
      );
      // Through the installed bin itself, traced: `data show` must load no SDK package and no zod
      // (the store is bundled in the bin), which is what keeps it quick to start.
      const trace = join(app, 'show-modules.txt');
      const { stdout } = await inProject(
        'node',
        [
          '--import',
          fileURLToPath(new URL('./support/trace-imports.mjs', import.meta.url)),
          join(app, 'node_modules', '@ktrdr', 'cli', 'dist', 'bin', 'ktrdr.cjs'),
          ...['data', 'show', 'AAPL', '-t', '1h', '-r', '3', '-f', 'json', ...store],
        ],
        { ...ibEnv, KTRDR_TRACE_IMPORTS: trace },
      );
      const loaded = await readFile(trace, 'utf8');
      expect(loaded).toMatch(/ktrdr\.cjs/);
      for (const heavy of ['zod', 'arquero', '@stoqey', '/@ktrdr/core/', '/@ktrdr/data/']) {
        expect(loaded).not.toContain(heavy);
      }
      expect(JSON.parse(stdout)).toMatchObject({ symbol: 'AAPL', simulated: true, rows: 3 });
    },
    3 * MINUTES,
  );

  it(
    'runs `npx ktrdr demo`: the bundled bin drives the SDK ESM builds end to end',
    async () => {
      // Load over TCP from the simulator, train in worker threads, export ONNX and predict, all
      // from the installed packages (the bin is CommonJS; the SDK it imports is ESM).
      // Without onnxruntime-node, predictions run on the built-in engine, said once on stderr.
      const { stdout, stderr } = await inProject('npx', ['--no-install', 'ktrdr', 'demo']);
      expect(stdout).toMatch(/Signals of neuro_fuzzy_sample\/AAPL_1h_v1 on the latest AAPL bars \(fused\)/);
      expect(stderr.match(/onnxruntime-node is not installed/g)).toHaveLength(1);
      expect(stderr).toMatch(/^note: onnxruntime-node is not installed/m);
      expect(stdout).toContain('SIMULATED data: synthetic bars from the ktrdr IB simulator');
    },
    4 * MINUTES,
  );

  it.each([...PACKAGES.map((name) => `@ktrdr/${name}`), ...SUBPATHS])(
    '%s imports as ESM and requires as CJS',
    async (specifier) => {
      const esm = await inProject('node', [
        '--input-type=module',
        '-e',
        `const m = await import('${specifier}'); console.log(Object.keys(m).length)`,
      ]);
      const cjs = await inProject('node', ['-e', `console.log(Object.keys(require('${specifier}')).length)`]);
      expect(Number(esm.stdout)).toBeGreaterThan(0);
      expect(Number(cjs.stdout)).toBe(Number(esm.stdout));
    },
    2 * MINUTES,
  );

  it.each(PACKAGES)(
    '@ktrdr/%s: attw finds no problem in its tarball',
    async (name) => {
      const attw = join(REPO_ROOT, 'node_modules', '.bin', 'attw');
      expect(existsSync(attw)).toBe(true);
      // attw exits non-zero on any problem; its report is the failure message.
      const result = await run(attw, [tarballs[name] as string, '--format', 'ascii'], { env }).catch(
        (error: { stdout?: string }) => {
          throw new Error(`attw found problems in @ktrdr/${name}:\n${error.stdout ?? String(error)}`);
        },
      );
      expect(result.stdout).toMatch(/No problems found/);
    },
    2 * MINUTES,
  );
});
