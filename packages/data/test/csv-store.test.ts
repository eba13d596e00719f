import { InternalError, NotFoundError, ValidationError } from '@ktrdr/core';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BarFrame } from '../src/domain/bar-frame';
import type { Bar } from '../src/domain/bars';
import { type AtomicWriteIo, CsvStore, SIMULATED_MARKER_FILE, nodeIo } from '../src/store/index';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 14);
const at = (iso: string): number => Date.parse(iso);

function bars(fromHour: number, count: number, close = (h: number) => 100 + h): BarFrame {
  const rows: Bar[] = [];
  for (let h = fromHour; h < fromHour + count; h++) {
    rows.push({
      time: T0 + h * H,
      open: 100 + h,
      high: 101 + h,
      low: 99 + h,
      close: close(h),
      volume: 1000 + h,
    });
  }
  return BarFrame.fromRows(rows);
}

/** A CSV as the Python KTRDR writes it (pandas `to_csv` of a float64 frame indexed by `date`). */
const PYTHON_CSV = `date,open,high,low,close,volume
2024-01-02T00:00:00Z,187.15,188.44,183.885,185.64,82488700.0
2024-01-03T00:00:00Z,184.22,185.88,183.43,184.25,58414500.0
2024-01-04T00:00:00Z,182.15,183.0872,180.88,181.91,71983600.0
2024-01-05T00:00:00Z,181.99,182.76,180.17,181.18,62303300.0
`;

let dir: string;
let store: CsvStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ktrdr-store-'));
  store = new CsvStore({ dataDir: dir });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CsvStore: Python layout', () => {
  it('reads a file written by the Python system and writes it back byte for byte', async () => {
    await writeFile(join(dir, 'AAPL_1d.csv'), PYTHON_CSV);
    const loaded = await store.load('AAPL', '1d');
    expect(loaded.simulated).toBe(false);
    expect(loaded.frame.length).toBe(4);
    expect(loaded.frame.at(0)).toEqual({
      time: at('2024-01-02T00:00:00Z'),
      open: 187.15,
      high: 188.44,
      low: 183.885,
      close: 185.64,
      volume: 82488700,
    });
    expect(loaded.frame.at(2)?.high).toBe(183.0872);

    await store.save('MSFT', '1d', loaded.frame);
    expect(await readFile(join(dir, 'MSFT_1d.csv'), 'utf8')).toBe(PYTHON_CSV);
  });

  it('stores at {dataDir}/{SYMBOL}_{timeframe}.csv with the Python header and Z dates', async () => {
    const saved = await store.save('eur.usd', '1h', bars(0, 2));
    expect(saved).toMatchObject({
      symbol: 'EUR.USD',
      timeframe: '1h',
      simulated: false,
      rows: 2,
      added: 2,
      written: true,
    });
    expect(saved.path).toBe(join(dir, 'EUR.USD_1h.csv'));
    const lines = (await readFile(saved.path, 'utf8')).trimEnd().split('\n');
    expect(lines).toEqual([
      'date,open,high,low,close,volume',
      '2024-01-02T14:00:00Z,100.0,101.0,99.0,100.0,1000.0',
      '2024-01-02T15:00:00Z,101.0,102.0,100.0,101.0,1001.0',
    ]);
  });

  it('filters loads by start and end', async () => {
    await store.save('AAPL', '1h', bars(0, 10));
    const part = await store.load('AAPL', '1h', { start: T0 + 2 * H, end: T0 + 5 * H });
    expect(Array.from(part.frame.columns().time, (t) => (t - T0) / H)).toEqual([2, 3, 4]);
  });
});

describe('CsvStore: bad input', () => {
  it('rejects path-like symbols and unknown timeframes, writing nothing', async () => {
    for (const symbol of ['../evil', '..', 'a/b', '.hidden', 'x\\y']) {
      await expect(store.save(symbol, '1h', bars(0, 1))).rejects.toMatchObject({
        constructor: ValidationError,
        details: { field: 'symbol' },
      });
      await expect(store.load(symbol, '1h')).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(store.save('AAPL', '1H', bars(0, 1))).rejects.toMatchObject({
      details: { field: 'timeframe' },
    });
    await expect(store.save('AAPL', '1h', { length: 1 } as unknown as BarFrame)).rejects.toMatchObject({
      details: { field: 'frame' },
    });
    expect(await readdir(dir)).toEqual([]);
    expect(() => new CsvStore({ dataDir: '' })).toThrow(ValidationError);
  });

  it('reports a missing series as NotFoundError from load and undefined from loadIfExists', async () => {
    await expect(store.load('AAPL', '1h')).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.loadIfExists('AAPL', '1h')).toBeUndefined();
    expect(await store.exists('AAPL', '1h')).toBe(false);
    expect(await store.dateRange('AAPL', '1h')).toBeUndefined();
  });

  it('reports a malformed file with its line and never overwrites it in a merge', async () => {
    const path = join(dir, 'AAPL_1h.csv');
    const broken =
      'date,open,high,low,close,volume\n2024-01-02T14:00:00Z,1,1,1,1,1\n2024-01-02T15:00:00Z,1,oops,1,1,1\n';
    await writeFile(path, broken);
    await expect(store.load('AAPL', '1h')).rejects.toMatchObject({
      details: { field: 'csv', line: 3, file: path },
    });
    await expect(store.mergeAndSave('AAPL', '1h', bars(5, 1))).rejects.toBeInstanceOf(ValidationError);
    expect(await readFile(path, 'utf8')).toBe(broken);
  });
});

describe('CsvStore: atomic writes', () => {
  function failingIo(failAt: 'write' | 'rename'): AtomicWriteIo {
    return {
      ...nodeIo,
      async open(path, flags, mode) {
        const handle = await nodeIo.open(path, flags, mode);
        if (failAt !== 'write') return handle;
        return {
          // Half the bytes reach the disk, then the device fills up.
          write: (async (buffer: Uint8Array, offset: number, length: number) => {
            await handle.write(buffer, offset, Math.floor(length / 2));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }) as unknown as typeof handle.write,
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
      async rename(from, to) {
        if (failAt === 'rename') throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
        return nodeIo.rename(from, to);
      },
    };
  }

  for (const failAt of ['write', 'rename'] as const) {
    it(`keeps the previous file intact when the ${failAt} step fails`, async () => {
      await store.save('AAPL', '1h', bars(0, 3));
      const path = store.pathOf('AAPL', '1h');
      const before = await readFile(path);
      const broken = new CsvStore({ dataDir: dir, io: failingIo(failAt) });

      const error = await broken.mergeAndSave('AAPL', '1h', bars(3, 500)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalError);
      expect((error as InternalError).details).toMatchObject({ path, action: 'write' });
      expect((error as Error).message).toContain('unchanged');
      await expect(broken.save('AAPL', '1h', bars(0, 1))).rejects.toBeInstanceOf(InternalError);

      expect(await readFile(path)).toEqual(before);
      expect((await store.load('AAPL', '1h')).frame.length).toBe(3);
      // No temp files are left behind.
      expect((await readdir(dir)).filter((name) => name.includes('tmp'))).toEqual([]);
    });
  }
});

describe('CsvStore: concurrent merges', () => {
  it('loses no bars when many mergeAndSave calls on one series overlap', async () => {
    const other = new CsvStore({ dataDir: dir }); // a second instance shares the process-wide lock
    const chunks = Array.from({ length: 24 }, (_, k) => bars(k * 40, 50)); // overlapping chunks
    const results = await Promise.all(
      chunks.map((chunk, k) => (k % 2 === 0 ? store : other).mergeAndSave('AAPL', '1h', chunk)),
    );
    const loaded = await store.load('AAPL', '1h');
    expect(loaded.frame.length).toBe(23 * 40 + 50);
    const times = loaded.frame.columns().time;
    for (let i = 0; i < times.length; i++) expect(times[i]).toBe(T0 + i * H);
    expect(results.reduce((sum, r) => sum + r.added, 0)).toBe(23 * 40 + 50);
  });

  it('lets the newer bars win and reports how many were added', async () => {
    await store.save('AAPL', '1h', bars(0, 5));
    const result = await store.mergeAndSave(
      'AAPL',
      '1h',
      bars(3, 4, (h) => h * 1000),
    );
    expect(result).toMatchObject({ rows: 7, added: 2, written: true });
    const closes = Array.from((await store.load('AAPL', '1h')).frame.columns().close);
    expect(closes).toEqual([100, 101, 102, 3000, 4000, 5000, 6000]);
    expect(await store.mergeAndSave('AAPL', '1h', BarFrame.empty())).toMatchObject({
      rows: 7,
      added: 0,
      written: false,
    });
  });
});

describe('CsvStore: column cache', () => {
  const cachePath = (): string => join(dir, '.AAPL_1h.cols');

  it('serves repeated loads from the cache written with the CSV', async () => {
    await store.save('AAPL', '1h', bars(0, 100));
    expect((await stat(cachePath())).isFile()).toBe(true);
    const loaded = await store.load('AAPL', '1h');
    expect(loaded.fromCache).toBe(true);
    expect(loaded.frame.length).toBe(100);
    expect(loaded.frame.at(99)).toEqual(bars(99, 1).at(0));
  });

  it('ignores the cache once the CSV changes, then rebuilds it', async () => {
    await store.save('AAPL', '1h', bars(0, 3));
    const path = store.pathOf('AAPL', '1h');
    await writeFile(path, `${await readFile(path, 'utf8')}2024-01-02T17:00:00Z,1.0,2.0,0.5,1.5,10.0\n`);
    const changed = await store.load('AAPL', '1h');
    expect(changed.fromCache).toBe(false);
    expect(changed.frame.length).toBe(4);
    expect(changed.frame.at(3)?.close).toBe(1.5);
    expect((await store.load('AAPL', '1h')).fromCache).toBe(true);

    // Same size, new content and a new mtime: still detected.
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('1.5,10.0', '1.6,10.0'));
    const later = new Date(Date.now() + 5000);
    await utimes(path, later, later);
    const edited = await store.load('AAPL', '1h');
    expect(edited.fromCache).toBe(false);
    expect(edited.frame.at(3)?.close).toBe(1.6);
  });

  it('ignores a corrupt, truncated or out-of-order cache and rebuilds it', async () => {
    await store.save('AAPL', '1h', bars(0, 20));
    const good = await readFile(cachePath());

    await writeFile(cachePath(), Buffer.alloc(good.length, 0x5a));
    expect((await store.load('AAPL', '1h')).fromCache).toBe(false);
    expect((await store.load('AAPL', '1h')).fromCache).toBe(true);

    await writeFile(cachePath(), good.subarray(0, good.length - 8));
    const truncated = await store.load('AAPL', '1h');
    expect(truncated.fromCache).toBe(false);
    expect(truncated.frame.length).toBe(20);

    // A valid header over damaged data: swap the first two times.
    const swapped = Buffer.from(good);
    swapped.copy(swapped, 64, 72, 80);
    good.copy(swapped, 72, 64, 72);
    await writeFile(cachePath(), swapped);
    const repaired = await store.load('AAPL', '1h');
    expect(repaired.fromCache).toBe(false);
    expect(Array.from(repaired.frame.columns().time)).toEqual(Array.from(bars(0, 20).columns().time));
  });

  it('works without a cache when disabled', async () => {
    const plain = new CsvStore({ dataDir: dir, cache: false });
    await plain.save('AAPL', '1h', bars(0, 3));
    expect((await readdir(dir)).sort()).toEqual(['AAPL_1h.csv']);
    expect((await plain.load('AAPL', '1h')).fromCache).toBe(false);
  });
});

describe('CsvStore: simulated data', () => {
  it('keeps simulated series apart, marked, and reports the origin with every read', async () => {
    await store.save('AAPL', '1h', bars(0, 5), { simulated: true });
    expect(await stat(join(dir, 'simulated', 'AAPL_1h.csv'))).toBeTruthy();
    const marker = await readFile(join(dir, 'simulated', SIMULATED_MARKER_FILE), 'utf8');
    expect(marker).toMatch(/synthetic/i);
    expect(marker).toContain('ktrdr IB simulator');
    expect(await readdir(dir)).toEqual(['simulated']); // nothing among the real series

    await expect(store.load('AAPL', '1h')).rejects.toBeInstanceOf(NotFoundError);
    const simulated = await store.load('AAPL', '1h', { simulated: true });
    expect(simulated.simulated).toBe(true);
    expect(simulated.path).toBe(join(dir, 'simulated', 'AAPL_1h.csv'));

    await store.save('AAPL', '1h', bars(100, 2));
    expect((await store.load('AAPL', '1h')).frame.length).toBe(2);
    expect((await store.load('AAPL', '1h')).simulated).toBe(false);
    expect((await store.load('AAPL', '1h', { simulated: true })).frame.length).toBe(5);
    await expect(store.load('AAPL', '1h', { simulated: 'yes' as unknown as boolean })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('CsvStore: listing, ranges, deletion', () => {
  it('lists series with rows and dates, ignoring files that are not series', async () => {
    await store.save('MSFT', '1d', bars(0, 3));
    await store.save('AAPL', '1h', bars(0, 10));
    await store.save('AAPL', '5m', bars(0, 1));
    await store.save('EUR.USD', '1h', bars(0, 4), { simulated: true });
    await writeFile(join(dir, 'AAPL_1d.csv'), PYTHON_CSV); // no cache yet: read from the CSV
    for (const stray of ['notes.txt', 'aapl_1h.csv', 'AAPL_2d.csv', '.tmp-AAPL_1h.csv.1.abc', 'AAPL.csv']) {
      await writeFile(join(dir, stray), 'x');
    }
    const list = await store.list();
    expect(list.map((s) => [s.symbol, s.timeframe, s.simulated, s.rows])).toEqual([
      ['AAPL', '5m', false, 1],
      ['AAPL', '1h', false, 10],
      ['AAPL', '1d', false, 4],
      ['EUR.USD', '1h', true, 4],
      ['MSFT', '1d', false, 3],
    ]);
    const aapl1h = list.find((s) => s.symbol === 'AAPL' && s.timeframe === '1h');
    expect(aapl1h).toMatchObject({ start: T0, end: T0 + 9 * H });
    expect(list.find((s) => s.timeframe === '1d' && s.symbol === 'AAPL')).toMatchObject({
      start: at('2024-01-02T00:00:00Z'),
      end: at('2024-01-05T00:00:00Z'),
    });
    expect((await store.list({ simulated: true })).map((s) => s.symbol)).toEqual(['EUR.USD']);
    expect((await store.list({ simulated: false })).every((s) => !s.simulated)).toBe(true);
  });

  it('lists an unreadable file with its error instead of failing the listing', async () => {
    await writeFile(join(dir, 'BAD_1h.csv'), 'not,a,bars,file\n');
    await store.save('GOOD', '1h', bars(0, 1));
    const list = await store.list();
    expect(list.map((s) => s.symbol)).toEqual(['BAD', 'GOOD']);
    expect(list[0]?.error).toMatch(/header/);
  });

  it('reports date ranges and deletes series with their cache', async () => {
    await store.save('AAPL', '1h', bars(2, 5));
    expect(await store.dateRange('AAPL', '1h')).toEqual({ start: T0 + 2 * H, end: T0 + 6 * H, rows: 5 });
    expect(await store.exists('AAPL', '1h')).toBe(true);
    expect(await store.delete('AAPL', '1h')).toBe(true);
    expect(await store.delete('AAPL', '1h')).toBe(false);
    expect(await readdir(dir)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('lists nothing for a data folder that does not exist yet', async () => {
    expect(await new CsvStore({ dataDir: join(dir, 'missing') }).list()).toEqual([]);
  });
});
