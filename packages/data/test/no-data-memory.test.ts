import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NO_DATA_TTL_OLD_MS,
  NO_DATA_TTL_RECENT_MS,
  NoDataMemory,
  noDataLifetimeMs,
  subtractRanges,
} from '../src/manager/no-data-memory';
import { CsvStore } from '../src/store/csv-store';

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 5, 28);
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function memory(now: () => number = () => NOW): Promise<{ memory: NoDataMemory; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ktrdr-no-data-'));
  dirs.push(dir);
  return { memory: new NoDataMemory(new CsvStore({ dataDir: dir }), now), dir };
}

describe('no-data memory', () => {
  it('remembers old ranges for days and recent ones for hours', () => {
    expect(noDataLifetimeMs({ start: NOW - 30 * DAY, end: NOW - 29 * DAY }, NOW)).toBe(NO_DATA_TTL_OLD_MS);
    expect(noDataLifetimeMs({ start: NOW - 2 * DAY, end: NOW - DAY }, NOW)).toBe(NO_DATA_TTL_RECENT_MS);
    expect(NO_DATA_TTL_RECENT_MS).toBeLessThan(NO_DATA_TTL_OLD_MS);
  });

  it('persists answers beside the series, for any other instance, until they expire', async () => {
    let now = NOW;
    const { memory: first, dir } = await memory(() => now);
    const old = { start: NOW - 30 * DAY, end: NOW - 29 * DAY };
    const recent = { start: NOW - 2 * DAY, end: NOW - DAY };
    await first.remember('AAPL', '1m', true, [recent, old]);
    const path = join(dir, 'simulated', '.AAPL_1m.no-data.json');
    expect(first.pathOf('AAPL', '1m', true)).toBe(path);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ ranges: [{}, {}] });

    const second = new NoDataMemory(new CsvStore({ dataDir: dir }), () => now);
    expect(await second.recall('AAPL', '1m', true)).toEqual([
      { ...old, until: NOW + NO_DATA_TTL_OLD_MS },
      { ...recent, until: NOW + NO_DATA_TTL_RECENT_MS },
    ]);
    expect(await second.recall('AAPL', '1m', false)).toEqual([]);
    now = NOW + NO_DATA_TTL_RECENT_MS;
    expect(await second.recall('AAPL', '1m', true)).toEqual([{ ...old, until: NOW + NO_DATA_TTL_OLD_MS }]);

    await second.forget('AAPL', '1m', true, { start: old.start, end: old.end + 1 });
    expect(await first.recall('AAPL', '1m', true)).toEqual([]);
  });

  it('treats an unreadable file as nothing remembered', async () => {
    const { memory: mem, dir } = await memory();
    await mem.remember('AAPL', '1h', false, [{ start: 0, end: DAY }]);
    await writeFile(join(dir, '.AAPL_1h.no-data.json'), '{ torn');
    expect(await mem.recall('AAPL', '1h', false)).toEqual([]);
  });

  it('cuts remembered ranges out of segments', () => {
    const segments = [
      { start: 0, end: 10 },
      { start: 20, end: 30 },
    ];
    expect(subtractRanges(segments, [])).toEqual(segments);
    expect(subtractRanges(segments, [{ start: 0, end: 10 }])).toEqual([{ start: 20, end: 30 }]);
    expect(
      subtractRanges(segments, [
        { start: 3, end: 5 },
        { start: 25, end: 40 },
      ]),
    ).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 10 },
      { start: 20, end: 25 },
    ]);
  });
});
