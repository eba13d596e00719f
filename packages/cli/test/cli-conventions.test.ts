import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKtrdr } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';
import { REPO_ROOT } from './support/spawn-ktrdr';

/** What a spawned bin printed and how it exited. */
interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a bin from its sources as a real process (`node --import tsx <bin> ...args`). */
function runBin(bin: string, args: readonly string[]): Promise<BinRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], {
    cwd: REPO_ROOT,
    // PATH and HOME only: the developer's KTRDR_* and IB_* settings must not leak in.
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const KTRDR = 'packages/cli/src/bin/ktrdr.ts';
const ktrdr = (...args: string[]) => runBin(KTRDR, args);

/** The `{ error }` document of the last line of stderr. */
function jsonError(stderr: string): Record<string, unknown> {
  const last = stderr.trimEnd().split('\n').at(-1) ?? '';
  return (JSON.parse(last) as { error: Record<string, unknown> }).error;
}

let dataDir: string;
let version: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ktrdr-conventions-'));
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  version = pkg.version;
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('every bin prints its version with --version and -V', () => {
  it.each([
    KTRDR,
    'packages/server/src/bin/ktrdr-api.ts',
    'packages/server/src/bin/ktrdr-ib-host.ts',
    'packages/server/src/bin/ktrdr-training-host.ts',
    'packages/ib-sim/src/bin/ktrdr-ib-sim.ts',
  ])('%s', async (bin) => {
    const [long, short] = await Promise.all([runBin(bin, ['--version']), runBin(bin, ['-V'])]);
    expect(long).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(short).toEqual(long);
  });
});

describe('ktrdr -f json: errors are one JSON line on stderr, exit codes unchanged', () => {
  it('a usage error (unknown command), with -f before the command', async () => {
    const run = await ktrdr('-f', 'json', 'data', 'shw');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(jsonError(run.stderr)).toEqual({
      code: 'usage',
      message: expect.stringMatching(/^Unknown command 'shw' for 'ktrdr data'\. Did you mean 'show'\?/),
      exit_code: 2,
      command: 'ktrdr data',
    });
  });

  it('a usage error (unknown option), with --format=json after it', async () => {
    const run = await ktrdr('data', 'show', 'AAPL', '--rwos', '3', '--format=json');
    expect(run.code).toBe(2);
    expect(jsonError(run.stderr)).toMatchObject({ code: 'usage', exit_code: 2, command: 'ktrdr data show' });
  });

  it('a ktrdr error carries its code and details; -v adds its causes', async () => {
    const run = await ktrdr('data', 'show', 'NVDA', '--data-dir', dataDir, '-f', 'json');
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    const error = jsonError(run.stderr);
    expect(error).toMatchObject({
      code: 'not_found',
      exit_code: 3,
      details: { symbol: 'NVDA', timeframe: '1d' },
    });
    expect(error['message']).toMatch(/No 1d data stored for NVDA/);
    expect(error).not.toHaveProperty('causes');
    const verbose = await ktrdr('data', 'show', 'NVDA', '--data-dir', dataDir, '-f', 'json', '-v');
    expect(verbose.code).toBe(3);
    expect(jsonError(verbose.stderr)).toMatchObject({ code: 'not_found', causes: expect.any(Array) });
  });

  it('without -f json the same error is the one text line', async () => {
    const run = await ktrdr('data', 'show', 'NVDA', '--data-dir', dataDir, '-f', 'csv');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^ktrdr: No 1d data stored for NVDA/);
    expect(() => jsonError(run.stderr)).toThrow();
  });

  it('a command that fails without throwing (ib status, nothing listening): stdout keeps its JSON document', async () => {
    const closed = await startSimulator();
    await closed.simulator.close();
    const run = await runKtrdr(['ib', 'status', '-f', 'json'], { env: closed.env });
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ healthy: false });
    expect(jsonError(run.stderr)).toEqual({
      code: 'connection_failed',
      message: expect.stringMatching(/^no IB Gateway\/TWS answers at /),
      exit_code: 4,
    });
  });
});
