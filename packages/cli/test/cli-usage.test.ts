import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, VERSION } from '../src/index';
import { runKtrdr, tempDir } from './support/run-ktrdr';

let data: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  data = await tempDir();
});
afterAll(async () => {
  await data.remove();
});

/** The one error line every failure prints. */
const oneLine = (stderr: string) => stderr.trimEnd().split('\n');

describe('help and version', () => {
  it('lists every command', async () => {
    const run = await runKtrdr(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['data', 'ib', 'models', 'operations', 'serve', 'sim', 'demo']) {
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\s+\\S`, 'm'));
    }
    // Plain text for a pipe: no colour codes, no trailing blanks.
    expect(run.stdout).not.toContain(String.fromCharCode(27));
    expect(run.stdout).not.toMatch(/ +$/m);
  });

  it('shows the options of a nested command, global ones included', async () => {
    const run = await runKtrdr(['data', 'show', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ktrdr data show');
    for (const option of [
      '--timeframe',
      '--rows',
      '--start',
      '--end',
      '--chart',
      '--url',
      '--format',
      '--verbose',
    ]) {
      expect(run.stdout).toContain(option);
    }
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = await runKtrdr(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(VERSION).toBe(pkg.version);
  });

  it('shows a group’s usage on stderr and fails when no command is named', async () => {
    const run = await runKtrdr(['data']);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('show');
  });
});

describe('bad input: one clear line, exit 2, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown command, with a suggestion',
      ['data', 'shwo'],
      /Unknown command 'shwo' for 'ktrdr data'\. Did you mean 'show'\?/,
    ],
    ['an unknown top-level command', ['frobnicate'], /Unknown command 'frobnicate' for 'ktrdr'\./],
    [
      'an unknown option',
      ['data', 'show', 'AAPL', '--rwos', '3'],
      /Unknown option '--rwos' for 'ktrdr data show'/,
    ],
    [
      'an extra argument',
      ['data', 'range', 'AAPL', 'MSFT'],
      /Unexpected argument 'MSFT' for 'ktrdr data range'/,
    ],
    [
      'a missing argument',
      ['data', 'show'],
      /Missing required positional argument: SYMBOL.*ktrdr data show --help/,
    ],
    [
      'a bad output format',
      ['data', 'symbols', '-f', 'xml'],
      /Unknown output format 'xml': use -f table, -f json, -f csv/,
    ],
    ['a bad row count', ['data', 'show', 'AAPL', '-r', 'ten'], /Invalid --rows 'ten'/],
    [
      'a bad date',
      ['data', 'load', 'AAPL', '--start', '2024-02-30'],
      /Invalid --start '2024-02-30': use an ISO 8601 date/,
    ],
    [
      'a bad mode',
      ['data', 'load', 'AAPL', '-m', 'sideways'],
      /Invalid --mode 'sideways': use one of local, tail, backfill, full/,
    ],
    ['a bad timeframe', ['data', 'load', 'AAPL', '-t', '2x'], /Unknown timeframe '2x': use one of 1m, 5m/],
    ['a bad symbol', ['data', 'load', '../etc'], /Invalid symbol '\.\.\/etc'/],
    ['a bad API URL', ['data', 'symbols', '--url', 'localhost:8000'], /for --url: expected an absolute http/],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    // Port 9 (discard) has nobody listening: were anything to reach IB, it would fail differently.
    const run = await runKtrdr([...args, '--data-dir', data.path], { env: { IB_PORT: '9' } });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stdout).toBe('');
    expect(oneLine(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^ktrdr: /);
    expect(run.stderr).toMatch(message);
    expect(await readdir(data.path)).toEqual([]);
  });

  it('names KTRDR_API_URL, not --url, when the bad API URL came from the environment', async () => {
    const fromEnv = await runKtrdr(['operations', 'list'], { env: { KTRDR_API_URL: '::bad' } });
    expect(fromEnv.code).toBe(EXIT_CODES.usage);
    expect(oneLine(fromEnv.stderr)).toEqual([
      'ktrdr: Invalid value "::bad" for KTRDR_API_URL: expected an absolute http:// or https:// URL, e.g. http://localhost:8001.',
    ]);
    // The flag wins over the variable, and is the one named.
    const fromFlag = await runKtrdr(['operations', 'list', '--url', '::worse'], {
      env: { KTRDR_API_URL: '::bad' },
    });
    expect(fromFlag.stderr).toMatch(/"::worse" for --url:/);
  });

  it('adds details and causes with -v', async () => {
    const run = await runKtrdr(['data', 'load', 'AAPL', '-t', '2x', '-v', '--data-dir', data.path]);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/^ktrdr: Unknown timeframe/);
    expect(run.stderr).toContain('  code: validation');
    expect(run.stderr).toMatch(/ {2}details: \{.*"field":"timeframe"/);
  });

  it('reports missing data as not found (exit 3) with the command that fixes it', async () => {
    const run = await runKtrdr(['data', 'show', 'msft', '-t', '1h', '--data-dir', data.path]);
    expect(run.code).toBe(EXIT_CODES.notFound);
    expect(oneLine(run.stderr)).toEqual([
      `ktrdr: No 1h data stored for MSFT in ${data.path}: load it first (ktrdr data load msft -t 1h).`,
    ]);
  });
});
