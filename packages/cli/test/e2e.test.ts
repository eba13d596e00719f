import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@ktrdr/core';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { type RunningServer, startServer } from '@ktrdr/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';
import { spawnKtrdr, spawnTracedKtrdr } from './support/spawn-ktrdr';

/**
 * A few runs as real processes, through the bin: signals, exit codes and stdout/stderr as a shell
 * sees them. Everything else runs in-process.
 */
describe('ktrdr as a process', () => {
  let simulator: IbSimulator;
  let env: Record<string, string>;
  let data: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    // Slow answers, so a load is still running when Ctrl+C comes.
    ({ simulator, env } = await startSimulator({ latencyMs: 300 }));
    data = await tempDir();
  });
  afterAll(async () => {
    await simulator.close();
    await data.remove();
  });

  it('SIGINT during a load cancels the operation and exits 130', async () => {
    const run = spawnKtrdr(
      ['data', 'load', 'AAPL', '-t', '1h', '--start', daysAgo(300), '-f', 'json', '--data-dir', data.path],
      env,
    );
    await run.waitForStderr(/\[fetch\]/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(EXIT_CODES.interrupted);
    expect(run.stderr()).toMatch(/Cancelling op_data_load_\S+/);
    expect(run.stderr()).toMatch(/Cancelled op_data_load_\S+/);
    expect(JSON.parse(run.stdout())).toMatchObject({
      operation_type: 'data_load',
      status: 'cancelled',
      error_code: 'cancelled',
    });
  }, 60_000);

  it('--url talks to a real API server; embedded, data show answers the same without zod', async () => {
    const config = loadConfig({ ib: { host: simulator.host, port: simulator.port }, dataDir: data.path }, {});
    const server: RunningServer = await startServer({ kind: 'api', port: 0, config, env: {} });
    try {
      const load = await runKtrdr([
        'data',
        'load',
        'MSFT',
        '-t',
        '1d',
        '--start',
        daysAgo(30),
        '--no-progress',
        '--url',
        server.url,
      ]);
      expect(load.code).toBe(0);
      const run = spawnKtrdr(['data', 'show', 'MSFT', '-r', '3', '-f', 'json', '--url', server.origin]);
      expect(await run.exited).toBe(0);
      expect(JSON.parse(run.stdout())).toMatchObject({
        symbol: 'MSFT',
        timeframe: '1d',
        simulated: true,
        rows: 3,
      });
      expect(run.stderr()).toBe('');

      // Embedded, the same bars come straight from the store, without the service stack.
      const local = spawnTracedKtrdr(
        ['data', 'show', 'MSFT', '-r', '3', '-f', 'json', '--data-dir', data.path],
        join(data.path, 'show-imports.txt'),
      );
      expect(await local.exited).toBe(0);
      expect(JSON.parse(local.stdout())).toEqual(JSON.parse(run.stdout()));
      const loaded = await local.loaded();
      expect(loaded).toContain('/packages/data/src/store/');
      const sdkEntries = ['/packages/core/src/index.ts', '/packages/data/src/index.ts'];
      for (const heavy of ['zod', '@stoqey', 'arquero', 'pino', ...sdkEntries])
        expect(loaded).not.toContain(heavy);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('--help loads none of the SDK and none of its heavy dependencies', async () => {
    const run = spawnTracedKtrdr(['--help'], join(data.path, 'imports.txt'));
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('COMMANDS');
    const loaded = await run.loaded();
    expect(loaded).toContain('citty');
    const sdk = ['/packages/core/', '/packages/data/'];
    for (const heavy of [
      '@tensorflow',
      'onnxruntime',
      '@stoqey',
      'arquero',
      'express',
      'pino',
      'zod',
      ...sdk,
    ]) {
      expect(loaded).not.toContain(heavy);
    }
  }, 30_000);

  it.each([
    [
      'an unknown command',
      ['dta', 'show', 'AAPL'],
      /^ktrdr: Unknown command 'dta' for 'ktrdr'\. Did you mean 'data'\?/,
    ],
    ['a bad timeframe', ['data', 'load', 'AAPL', '-t', '2x'], /^ktrdr: Unknown timeframe '2x'/],
    ['a bad date', ['data', 'load', 'AAPL', '--end', 'yesterday'], /^ktrdr: Invalid --end 'yesterday'/],
  ])(
    '%s: one clear line on stderr, exit 2, nothing written',
    async (_name, args, message) => {
      const empty = await tempDir();
      const run = spawnKtrdr([...args, '--data-dir', empty.path], env);
      expect(await run.exited).toBe(EXIT_CODES.usage);
      expect(run.stdout()).toBe('');
      expect(run.stderr().trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr()).toMatch(message);
      expect(await readdir(empty.path)).toEqual([]);
      await empty.remove();
    },
    30_000,
  );
});
