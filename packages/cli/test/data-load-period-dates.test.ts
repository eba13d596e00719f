/**
 * `ktrdr data load` tells the user when it converts a weekly file stored under the old convention
 * (bars dated by the first trading day of their week) to IB's dates (the last trading day).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

let simulator: IbSimulator;
let env: Record<string, string>;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  ({ simulator, env } = await startSimulator());
  data = await tempDir();
});
afterAll(async () => {
  await simulator.close();
  await data.remove();
});

describe('data load of an old-convention weekly file', () => {
  it('converts it, says so on stderr, and the next load is silent', async () => {
    const folder = join(data.path, 'simulated');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'AAPL_1w.csv'),
      'date,open,high,low,close,volume\n' +
        '2024-03-04T00:00:00Z,170.0,175.5,168.25,172.0,250000000.0\n' +
        '2024-03-11T00:00:00Z,172.0,174.0,169.0,170.5,240000000.0\n',
    );
    const args = [
      'data',
      'load',
      'AAPL',
      '-t',
      '1w',
      '-m',
      'local',
      '--no-progress',
      '--data-dir',
      data.path,
    ];
    const run = await runKtrdr(args, { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'note: AAPL 1w: 2 stored bar(s) from 2024-03-04T00:00:00Z were dated by the first trading day of their week',
    );
    const csv = await readFile(join(folder, 'AAPL_1w.csv'), 'utf8');
    expect(
      csv
        .split('\n')
        .slice(1, 3)
        .map((line) => line.slice(0, 10)),
    ).toEqual(['2024-03-08', '2024-03-15']);
    const again = await runKtrdr(args, { env });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('note:');
  });
});
