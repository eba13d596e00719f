import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { sampleStrategyPath } from '@ktrdr/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';
import { spawnKtrdr } from './support/spawn-ktrdr';

/**
 * One exit rule for every command (runCli's settleExitCode): SIGTERM exits 143, SIGINT 130, as a real
 * process. `data load` has its own test in data-load-faults; this one is a command that used to
 * decide its exit code itself.
 */
describe("signals stop every command with the signal's exit code", () => {
  let simulator: IbSimulator;
  let env: Record<string, string>;
  let home: Awaited<ReturnType<typeof tempDir>>;
  let folders: string[];
  let strategy: string;

  beforeAll(async () => {
    ({ simulator, env } = await startSimulator());
    home = await tempDir();
    folders = ['--data-dir', join(home.path, 'data'), '--models-dir', join(home.path, 'models')];
    const load = await runKtrdr(
      ['data', 'load', 'AAPL', '-t', '1h', '--start', daysAgo(150), '--no-progress', ...folders],
      { env },
    );
    expect(load.code).toBe(0);
    // The sample strategy without early stopping, in small batches: training outlasts the signal.
    const yaml = await readFile(sampleStrategyPath(), 'utf8');
    strategy = join(home.path, 'endless.yaml');
    await writeFile(
      strategy,
      yaml.replace(/patience: \d+/, 'patience: 100000').replace(/batch_size: \d+/, 'batch_size: 8'),
    );
  }, 60_000);
  afterAll(async () => {
    await simulator.close();
    await home.remove();
  });

  const signals: [NodeJS.Signals, number][] = [
    ['SIGTERM', EXIT_CODES.terminated],
    ['SIGINT', EXIT_CODES.interrupted],
  ];
  it.each(signals)(
    'ktrdr models train mid-training: %s exits %i after cancelling the training',
    async (signal, code) => {
      const run = spawnKtrdr(
        ['models', 'train', strategy, 'AAPL', '1h', '--epochs', '5000', '--seed', '3', ...folders],
        env,
      );
      await run.waitForStderr(/[1-9][\d,]*\/5,000 epochs/);
      run.child.kill(signal);
      const exitCode = await run.exited;
      expect(exitCode).toBe(code);
      expect(run.stderr()).toMatch(/Cancelled op_\S+/);
    },
    90_000,
  );
});
