/**
 * The `ktrdr-ib-sim` command: argument parsing, and a real process that prints its port, serves
 * the unmodified IBApi client, and exits cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventName, IBApi } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { IB_SIM_ARGS, parseCliArgs, usage } from '../src/bin/cli-args';
import { IB_SIM_ACCOUNT_ID } from '../src/index';
import { once } from './helpers/ib-clients';

describe('parseCliArgs', () => {
  it('defaults to port 4002 and accepts every documented option', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: { port: 4002 } });
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--host=0.0.0.0',
        '--seed',
        '42',
        '--latency',
        '20-200',
        '--pacing',
        'strict',
        '--time-scale',
        '60',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        port: 0,
        host: '0.0.0.0',
        seed: 42,
        latencyMs: { min: 20, max: 200 },
        pacing: 'strict',
        timeScale: 60,
      },
    });
    expect(parseCliArgs(['--latency', '50', '--seed', 'demo'])).toMatchObject({
      options: { latencyMs: 50, seed: 'demo' },
    });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--port', '0', '--version'])).toEqual({ kind: 'version' });
  });

  it('explains bad arguments', () => {
    expect(parseCliArgs(['--pacing', 'fast'])).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('strict'),
    });
    expect(parseCliArgs(['--port', '70000'])).toMatchObject({ kind: 'error' });
    expect(parseCliArgs(['--latency', 'slow'])).toMatchObject({ kind: 'error' });
    expect(parseCliArgs(['--port'])).toMatchObject({ kind: 'error', message: '--port needs a value' });
    expect(parseCliArgs(['--verbose', 'x'])).toMatchObject({
      kind: 'error',
      message: 'Unknown option --verbose',
    });
  });
});

describe('ktrdr-ib-sim process', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints its port, serves clients and exits 0 on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../src/bin/ktrdr-ib-sim.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--pacing', 'off'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on 127\.0\.0\.1:(\d+) /.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const ib = new IBApi({ host: '127.0.0.1', port });
    const accounts = once(ib, EventName.managedAccounts, () => true, 10_000);
    ib.connect(1);
    expect(await accounts).toEqual([IB_SIM_ACCOUNT_ID]);
    ib.disconnect();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('ktrdr-ib-sim arguments through citty', () => {
  it('refuses what citty alone would let through', () => {
    // citty would take the next flag as the port, or an empty string as one.
    expect(parseCliArgs(['--port', '--pacing', 'off'])).toEqual({
      kind: 'error',
      message: '--port needs a value',
    });
    expect(parseCliArgs(['--port='])).toEqual({ kind: 'error', message: '--port needs a value' });
    expect(parseCliArgs(['--port', '0', 'extra'])).toEqual({
      kind: 'error',
      message: "Unexpected argument 'extra'",
    });
    expect(parseCliArgs(['-x'])).toEqual({ kind: 'error', message: 'Unknown option -x' });
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--server-version', '176', '--time-scale=60'])).toEqual({
      kind: 'run',
      options: { port: 4002, serverVersion: 176, timeScale: 60 },
    });
  });

  it('--help lists every option, without colours outside a terminal', async () => {
    const text = await usage(false);
    for (const name of Object.keys(IB_SIM_ARGS)) expect(text).toContain(`--${name}`);
    expect(text).not.toContain('\u001b[');
    expect(text).not.toMatch(/[ \t]$/m);
  });

  it('exits 2 with one line naming the problem on a usage error, like ktrdr', async () => {
    const bin = fileURLToPath(new URL('../src/bin/ktrdr-ib-sim.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--prot', '0'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe("ktrdr-ib-sim: Unknown option --prot. Run 'ktrdr-ib-sim --help' for usage.\n");
  });
});
