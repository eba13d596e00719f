import { ValidationError } from '@ktrdr/core';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvStore, type StoreWarning, parseBarsCsvFile, readStoredBars } from '../src/store/index';
import { T0, minuteBars } from './fixtures/minute-bars';

// Torn and corrupted files in the store (the fault suite's "torn and corrupted files" case).
const HEADER = 'date,open,high,low,close,volume\n';
const ROWS =
  '2024-03-01T00:00:00Z,100.0,101.0,99.0,100.5,1000.0\n' +
  '2024-03-01T00:01:00Z,100.5,101.5,99.5,101.0,1100.0\n' +
  '2024-03-01T00:02:00Z,101.0,102.0,100.0,101.5,1200.0\n';
const TORN = '2024-03-01T00:03:00Z,101.5,102.5,100.5,102.0,';

let dir: string;
let warnings: StoreWarning[];
let store: CsvStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ktrdr-store-damaged-'));
  warnings = [];
  store = new CsvStore({ dataDir: dir, onWarning: (warning) => warnings.push(warning) });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file parses whole; times unique and strictly increasing. */
async function expectSound(path: string): Promise<number[]> {
  const parsed = parseBarsCsvFile(await readFile(path), path);
  expect(parsed.torn).toBeUndefined();
  const times = Array.from(parsed.frame.columns().time);
  for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
  return times;
}

describe('CsvStore: a torn last row', () => {
  it('is never served: reads leave it out and warn with file:line, once per file version', async () => {
    await writeFile(join(dir, 'AAPL_1m.csv'), HEADER + ROWS + TORN);
    const loaded = await store.load('AAPL', '1m');
    expect(loaded.frame.length).toBe(3);
    expect(Array.from(loaded.frame.columns().volume)).toEqual([1000, 1100, 1200]);
    expect(loaded.warnings).toEqual([
      expect.objectContaining({
        code: 'torn_row',
        file: 'AAPL_1m.csv',
        line: 5,
        path: join(dir, 'AAPL_1m.csv'),
      }),
    ]);
    expect(loaded.warnings[0]?.message).toMatch(/^AAPL_1m\.csv:5: the last row has no line end/);

    // Not cached, so every read still leaves it out and says so; the callback hears it once.
    const again = await store.load('AAPL', '1m');
    expect(again).toMatchObject({ fromCache: false, warnings: [expect.objectContaining({ line: 5 })] });
    expect(warnings).toHaveLength(1);
    expect(await store.dateRange('AAPL', '1m')).toEqual({ start: T0, end: T0 + 2 * 60_000, rows: 3 });

    // The data API's answer (and `ktrdr data show`) carries it, without the absolute path.
    const answer = await readStoredBars(store, { symbol: 'AAPL', timeframe: '1m' });
    expect(answer.rows).toBe(3);
    expect(answer.data.every((bar) => Number.isFinite(bar.volume))).toBe(true);
    expect(answer.warnings).toEqual([
      { code: 'torn_row', file: 'AAPL_1m.csv', line: 5, message: expect.stringContaining('AAPL_1m.csv:5') },
    ]);
    expect(JSON.stringify(answer)).not.toContain(dir);
  });

  it('is dropped from the file by the next write, which then takes the re-fetched bar', async () => {
    const path = join(dir, 'AAPL_1m.csv');
    await writeFile(path, HEADER + ROWS + TORN);
    const refetched = minuteBars(3, 1, 7);
    const saved = await store.mergeAndSave('AAPL', '1m', refetched);
    expect(saved).toMatchObject({ rows: 4, added: 1, written: true });
    expect(saved.warnings).toEqual([expect.objectContaining({ code: 'torn_row', line: 5 })]);
    expect(await readFile(path, 'utf8')).toBe(
      `${HEADER}${ROWS}2024-03-01T00:03:00Z,107.0,107.0,107.0,107.0,3.0\n`,
    );
    expect(await store.load('AAPL', '1m')).toMatchObject({ warnings: [] });
    await expectSound(path);
  });

  it('is repaired even by a merge that brings no bar', async () => {
    const path = join(dir, 'simulated', 'AAPL_1m.csv');
    await mkdir(join(dir, 'simulated'));
    await writeFile(path, HEADER + ROWS + TORN);
    const saved = await store.mergeAndSave('AAPL', '1m', minuteBars(0, 0, 0), { simulated: true });
    expect(saved).toMatchObject({ rows: 3, added: 0, written: true });
    expect(saved.warnings[0]?.file).toBe('simulated/AAPL_1m.csv');
    expect(await readFile(path, 'utf8')).toBe(HEADER + ROWS);
  });

  it('turns a header cut short into an empty series that the next write replaces', async () => {
    const path = join(dir, 'AAPL_1m.csv');
    await writeFile(path, 'date,open,hi');
    expect(await store.load('AAPL', '1m')).toMatchObject({
      warnings: [expect.objectContaining({ line: 1 })],
    });
    await store.mergeAndSave('AAPL', '1m', minuteBars(0, 2, 1));
    expect(await expectSound(path)).toEqual([T0, T0 + 60_000]);
  });

  it('warns through process warnings when the caller gives no callback', async () => {
    await writeFile(join(dir, 'AAPL_1m.csv'), HEADER + ROWS + TORN);
    const emitted: Error[] = [];
    const listener = (warning: Error) => emitted.push(warning);
    process.on('warning', listener);
    try {
      await new CsvStore({ dataDir: dir }).load('AAPL', '1m');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(emitted).toEqual([
      expect.objectContaining({
        name: 'KtrdrStoreWarning',
        code: 'KTRDR_TORN_ROW',
        message: expect.stringContaining('AAPL_1m.csv:5'),
      }),
    ]);
  });
});

describe('CsvStore: corrupted files', () => {
  const cases: [string, string, number][] = [
    ['a spelled-out NaN volume', `${HEADER}${ROWS}2024-03-01T00:03:00Z,1.0,1.0,1.0,1.0,NaN\n`, 5],
    [
      'a NaN price',
      `${HEADER}2024-03-01T00:00:00Z,nan,1.0,1.0,1.0,1.0\n${ROWS.slice(ROWS.indexOf('\n') + 1)}`,
      2,
    ],
    ['a garbage line', `${HEADER}${ROWS}\u0000\u0001garbage\n2024-03-01T00:04:00Z,1.0,1.0,1.0,1.0,1.0\n`, 5],
    ['a row with a field missing', `${HEADER}2024-03-01T00:00:00Z,1.0,1.0,1.0,1.0\n`, 2],
  ];
  it.each(cases)('reports %s with file:line, and never overwrites the file', async (_, text, line) => {
    const path = join(dir, 'AAPL_1m.csv');
    await writeFile(path, text);
    const error = await store.load('AAPL', '1m').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toMatchObject({ field: 'csv', file: path, line });
    expect((error as ValidationError).message).toContain(`${path}: line ${line}:`);
    await expect(store.mergeAndSave('AAPL', '1m', minuteBars(10, 1, 1))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await readFile(path, 'utf8')).toBe(text);
    // Nothing left behind by the refused write.
    expect((await readdir(dir)).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('keeps an empty field (how pandas writes a missing value) as NaN', async () => {
    await writeFile(
      join(dir, 'AAPL_1d.csv'),
      `${HEADER}2024-01-02T00:00:00Z,187.15,188.44,183.885,185.64,\n`,
    );
    const loaded = await store.load('AAPL', '1d');
    expect(loaded.frame.at(0)?.volume).toBeNaN();
    expect(loaded.warnings).toEqual([]);
  });
});
