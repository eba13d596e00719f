import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';
import { spawnKtrdr } from './support/spawn-ktrdr';

/**
 * What the store works around during a load (a torn last row, an unreadable "no data" memory) is in
 * the load's summary and printed as `warning: ...` lines, never only as a raw Node warning.
 */
describe('ktrdr data load over a damaged store', () => {
  let simulator: IbSimulator;
  let env: Record<string, string>;
  let home: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    ({ simulator, env } = await startSimulator());
    home = await tempDir();
  });
  afterAll(async () => {
    await simulator.close();
    await home.remove();
  });

  it('reports a torn last row and a corrupt no-data memory as warnings, and repairs the file', async () => {
    const dataDir = join(home.path, 'data');
    const load = ['data', 'load', 'AAPL', '-t', '1h', '--no-progress', '--data-dir', dataDir];
    expect((await runKtrdr([...load, '--start', daysAgo(20)], { env })).code).toBe(0);
    // A torn write: the last row cut right after a comma, no line end.
    const csv = join(dataDir, 'simulated', 'AAPL_1h.csv');
    const text = await readFile(csv, 'utf8');
    const lastRow = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
    const tornLine = text.split('\n').length - 1;
    await writeFile(
      csv,
      text.slice(0, text.length - lastRow.length) + lastRow.slice(0, lastRow.indexOf(',') + 1),
    );
    await writeFile(join(dataDir, 'simulated', '.AAPL_1h.no-data.json'), '{"note": "cut sho');

    const run = spawnKtrdr([...load, '-f', 'json'], env);
    expect(await run.exited).toBe(0);
    const stderr = run.stderr();
    expect(stderr).toContain(`warning: simulated/AAPL_1h.csv:${tornLine}: the last row has no line end`);
    expect(stderr).toMatch(/^warning: simulated\/\.AAPL_1h\.no-data\.json: .* cannot be read/m);
    expect(stderr).not.toMatch(/KtrdrStoreWarning|\(node:\d+\)/);
    const summary = (JSON.parse(run.stdout()) as { result_summary: { warnings: unknown[] } }).result_summary;
    expect(summary.warnings).toEqual([
      expect.objectContaining({ code: 'torn_row', file: 'simulated/AAPL_1h.csv', line: tornLine }),
      expect.objectContaining({ code: 'unreadable_no_data_memory', file: 'simulated/.AAPL_1h.no-data.json' }),
    ]);
    expect(JSON.stringify(summary.warnings)).not.toContain(home.path);
    // The load rewrote the file whole: it ends with a line end and the bar is back.
    const repaired = await readFile(csv, 'utf8');
    expect(repaired.endsWith('\n')).toBe(true);
    expect(repaired).toContain(lastRow);
  }, 90_000);
});
