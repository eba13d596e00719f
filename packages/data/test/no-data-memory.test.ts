import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NO_DATA_TTL_OLD_MS,
  NO_DATA_TTL_RECENT_MS,
  NoDataMemory,
  noDataLifetimeMs,
  subtractRanges,
} from '../src/manager/no-data-memory';
import { CsvStore } from '../src/store/csv-store';
import type { StoreWarning } from '../src/store/store-warning';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));

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

  it('treats a torn or corrupt file as nothing remembered, with a warning, and rewrites it', async () => {
    const { memory: mem, dir } = await memory();
    const range = { start: NOW - 30 * DAY, end: NOW - 29 * DAY };
    await mem.remember('AAPL', '1h', false, [{ start: 0, end: DAY }]);
    for (const text of ['{ "note": "cut', '{"ranges": 3}', 'null']) {
      await writeFile(join(dir, '.AAPL_1h.no-data.json'), text);
      const warnings: StoreWarning[] = [];
      expect(await mem.recall('AAPL', '1h', false, warnings)).toEqual([]);
      expect(warnings).toEqual([
        expect.objectContaining({
          code: 'unreadable_no_data_memory',
          file: '.AAPL_1h.no-data.json',
          message: expect.stringMatching(/^\.AAPL_1h\.no-data\.json: .* cannot be read .* counts as empty/),
        }),
      ]);
      expect(warnings[0]?.message).not.toContain(dir);
    }
    // The next answer rewrites it whole.
    const warnings: StoreWarning[] = [];
    await mem.remember('AAPL', '1h', false, [range], warnings);
    expect(warnings).toHaveLength(1);
    expect(await mem.recall('AAPL', '1h', false)).toEqual([{ ...range, until: NOW + NO_DATA_TTL_OLD_MS }]);
  });

  it('loses no answer when processes remember ranges of one series at once', async () => {
    const { memory: mem, dir } = await memory(() => Date.now());
    const children = [0, 1, 2].map((p) =>
      spawn(
        process.execPath,
        ['--import', 'tsx', WRITER, 'remember-no-data', dir, JSON.stringify({ first: p * 100, count: 15 })],
        {
          cwd: REPO_ROOT,
          env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      ),
    );
    const codes = await Promise.all(
      children.map((child) => new Promise<number | null>((resolve) => child.on('exit', resolve))),
    );
    expect(codes).toEqual([0, 0, 0]);
    const starts = (await mem.recall('AAPL', '1h', false)).map((r) => (r.start - Date.UTC(2024, 0, 1)) / DAY);
    const expected = [0, 1, 2].flatMap((p) => Array.from({ length: 15 }, (_, i) => p * 100 + i));
    expect(starts).toEqual(expected);
    // Nothing left behind: no temp file, no lock.
    expect((await readdir(dir)).sort()).toEqual(['.AAPL_1h.no-data.json']);
  }, 60_000);

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
