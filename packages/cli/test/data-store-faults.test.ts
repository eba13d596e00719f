import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { runKtrdr, tempDir } from './support/run-ktrdr';

// The CLI over a damaged store (the fault suite's "torn and corrupted files" case, as users meet it).
const HEADER = 'date,open,high,low,close,volume\n';
const ROWS =
  '2024-03-01T14:30:00Z,100.0,101.0,99.0,100.5,1000.0\n' +
  '2024-03-01T14:31:00Z,100.5,101.5,99.5,101.0,1100.0\n' +
  '2024-03-01T14:32:00Z,101.0,102.0,100.0,101.5,1200.0\n';

let data: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  data = await tempDir();
});
afterEach(async () => {
  await data.remove();
});

describe('data show over a damaged file', () => {
  it('never shows a torn last row: it warns with file:line on stderr and shows the whole rows', async () => {
    const path = join(data.path, 'AAPL_1m.csv');
    const torn = `${HEADER}${ROWS}2024-03-01T14:33:00Z,101.5,102.5,100.5,102.0,`;
    await writeFile(path, torn);
    const run = await runKtrdr(['data', 'show', 'AAPL', '-t', '1m', '-f', 'json', '--data-dir', data.path]);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { rows: number; bars: { volume: number | null }[] };
    expect(body.rows).toBe(3);
    expect(body.bars.map((bar) => bar.volume)).toEqual([1000, 1100, 1200]);
    expect(run.stderr).toContain('warning: AAPL_1m.csv:5: the last row has no line end');
    // Reading repairs nothing (a read never writes the CSV): the next load's write does.
    expect(await readFile(path, 'utf8')).toBe(torn);
  });

  it('fails on a NaN volume, naming file:line, with the validation exit code', async () => {
    const path = join(data.path, 'AAPL_1m.csv');
    await writeFile(path, `${HEADER}${ROWS}2024-03-01T14:33:00Z,101.5,102.5,100.5,102.0,nan\n`);
    const run = await runKtrdr(['data', 'show', 'AAPL', '-t', '1m', '--data-dir', data.path]);
    expect(run.code).toBe(EXIT_CODES.usage); // a ValidationError, as every malformed input
    expect(run.stderr).toContain(`${path}: line 5:`);
    expect(run.stdout).toBe('');
  });
});
