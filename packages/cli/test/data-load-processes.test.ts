import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';
import { spawnKtrdr } from './support/spawn-ktrdr';

// Issue 12, defect 3: two `ktrdr data load` processes writing one series at once lost bars.
let simulator: IbSimulator;
let env: Record<string, string>;
beforeAll(async () => {
  ({ simulator, env } = await startSimulator());
});
afterAll(async () => {
  await simulator.close();
});

const load = (dataDir: string, start: string, end: string) =>
  ['data', 'load', 'AAPL', '-t', '1m', '-m', 'full', '--start', start, '--end', end, '--no-progress'].concat(
    '--data-dir',
    dataDir,
  );

describe('two data load processes on one series', () => {
  it('store exactly what one load of both weeks stores', async () => {
    const together = await tempDir();
    const alone = await tempDir();
    try {
      const first = spawnKtrdr(load(together.path, '2024-03-04', '2024-03-11'), env);
      const second = spawnKtrdr(load(together.path, '2024-03-11', '2024-03-18'), env);
      expect([await first.exited, await second.exited], first.stderr() + second.stderr()).toEqual([0, 0]);

      const single = await runKtrdr(load(alone.path, '2024-03-04', '2024-03-18'), { env });
      expect(single.code, single.stderr).toBe(0);

      const file = join('simulated', 'AAPL_1m.csv');
      const [both, reference] = await Promise.all([
        readFile(join(together.path, file), 'utf8'),
        readFile(join(alone.path, file), 'utf8'),
      ]);
      expect(reference.split('\n').length).toBeGreaterThan(3_000);
      expect(both.length).toBe(reference.length);
      expect(both === reference).toBe(true);
      // No temp file and no lock left behind.
      expect(
        (await readdir(join(together.path, 'simulated'))).filter(
          (name) => name.startsWith('.tmp-') || name.endsWith('.lock'),
        ),
      ).toEqual([]);
    } finally {
      await together.remove();
      await alone.remove();
    }
  }, 240_000);
});

describe('data load over a torn file', () => {
  it('warns, re-fetches the torn bar and leaves the file as a clean load wrote it', async () => {
    const data = await tempDir();
    try {
      const args = load(data.path, '2024-03-04', '2024-03-06');
      expect((await runKtrdr(args, { env })).code).toBe(0);
      const path = join(data.path, 'simulated', 'AAPL_1m.csv');
      const clean = await readFile(path, 'utf8');
      // The last row cut right after its last comma: the volume and the line end are missing.
      await writeFile(path, clean.slice(0, clean.lastIndexOf(',') + 1));

      const tail = spawnKtrdr([...args.slice(0, 6), 'tail', ...args.slice(7)], env);
      expect(await tail.exited, tail.stderr()).toBe(0);
      expect(tail.stderr()).toMatch(/simulated\/AAPL_1m\.csv:\d+: the last row has no line end/);
      expect(await readFile(path, 'utf8')).toBe(clean);
    } finally {
      await data.remove();
    }
  }, 120_000);
});
