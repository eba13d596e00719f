import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BarFrame } from '../src/domain/bar-frame';
import { formatIsoUtc } from '../src/domain/dates';
import { wireDate } from '../src/host-service/wire-dates';
import { type FileVersion, HotSeriesCache } from '../src/store/hot-series-cache';
import {
  CsvStore,
  readStoredBars,
  readStoredBarsJson,
  formatBarsCsv,
  renderStoredBars,
  resolveSeriesPaths,
} from '../src/store/index';
import { T0, minuteBars } from './fixtures/minute-bars';

// Another process than the test's: writers are `node --import tsx` children from the repository root.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));

function inChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

/** Merges minutes `first..first+count-1` (close `100 + tag`) into AAPL 1m from another process. */
const mergeInOtherProcess = (dataDir: string, first: number, count: number, tag: number) =>
  inChild(['--import', 'tsx', WRITER, 'merge', dataDir, JSON.stringify({ chunks: [[first, count, tag]] })]);

/**
 * Rewrites the file in place from another process (same inode, same size) and puts its mtime back:
 * only ctime tells the versions apart, as with a tool that restores times (`rsync -t`, `touch -d`).
 */
const rewriteInPlaceKeepingMtime = (path: string, from: string, to: string) =>
  inChild([
    '-e',
    `const fs = require('node:fs'); const p = ${JSON.stringify(path)}; const s = fs.statSync(p);
     const text = fs.readFileSync(p, 'latin1'); const next = text.split(${JSON.stringify(from)}).join(${JSON.stringify(to)});
     if (next.length !== text.length || next === text) process.exit(3);
     const fd = fs.openSync(p, 'r+'); fs.writeSync(fd, next, 0, 'latin1'); fs.closeSync(fd);
     fs.utimesSync(p, s.atime, s.mtime);`,
  ]);

/** Trust versions at once (as for a file written long ago), so only the version check decides. */
const trusted = { hotCache: { now: () => Date.now() + 60_000 } };

/** Bars with gaps: hourly bars on weekdays only, each day 09:00-16:00, so the tail crosses gaps. */
function gappyBars(days: number): BarFrame {
  const rows = [];
  for (let d = 0; d < days; d++) {
    const day = Date.UTC(2024, 0, 1 + d);
    if ([0, 6].includes(new Date(day).getUTCDay())) continue;
    for (let h = 9; h < 17; h++) {
      const price = 100 + d + h / 100;
      rows.push({
        time: day + h * 3_600_000,
        open: price,
        high: price + 1,
        low: price - 1,
        close: price,
        volume: d * 100 + h,
      });
    }
  }
  return BarFrame.fromRows(rows);
}

const columnsOf = (frame: BarFrame) =>
  Object.fromEntries(Object.entries(frame.columns()).map(([k, v]) => [k, Array.from(v)]));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ktrdr-hot-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CsvStore tail reads', () => {
  it('return the same bars as the tail of a full read, across gaps and at the end of the file', async () => {
    const bars = gappyBars(40);
    await new CsvStore({ dataDir: dir }).save('AAPL', '1h', bars);
    const full = (await new CsvStore({ dataDir: dir, hotCache: false }).load('AAPL', '1h')).frame;
    expect(full.length).toBe(bars.length);
    const limits = [1, 2, 7, 8, 9, 17, 41, full.length - 1, full.length, full.length + 5];
    for (const limit of limits) {
      const expected = columnsOf(full.tail(limit));
      // From the column cache alone, without it (CSV parse), and from memory (second read).
      for (const options of [{}, { cache: false }, { hotCache: false as const }]) {
        const store = new CsvStore({ dataDir: dir, ...trusted, ...options });
        for (let read = 0; read < 2; read++) {
          const tail = await store.loadTailIfExists('AAPL', '1h', limit);
          expect(columnsOf(tail?.frame as BarFrame), `limit ${limit} ${JSON.stringify(options)}`).toEqual(
            expected,
          );
        }
      }
    }
  });

  it('serve a short tail from the cache, then a longer one and the full series from the file', async () => {
    await new CsvStore({ dataDir: dir }).save('AAPL', '1m', minuteBars(0, 500, 1));
    const store = new CsvStore({ dataDir: dir, ...trusted });
    expect((await store.loadTailIfExists('AAPL', '1m', 10))?.frame.length).toBe(10);
    const longer = await store.loadTailIfExists('AAPL', '1m', 300);
    expect(longer?.frame.length).toBe(300);
    expect(longer?.frame.firstTime).toBe(T0 + 200 * 60_000);
    expect((await store.load('AAPL', '1m')).frame.length).toBe(500);
  });

  it('leave out a torn last row and say so, as a full read does', async () => {
    const store = new CsvStore({ dataDir: dir, ...trusted, onWarning: () => undefined });
    await store.save('AAPL', '1m', minuteBars(0, 50, 1));
    await store.loadTailIfExists('AAPL', '1m', 5); // cached before the damage
    await appendFile(store.pathOf('AAPL', '1m'), '2024-03-01T00:50:00Z,101.5,102.5,100.5,102.0,');
    const full = await store.load('AAPL', '1m', { returnWarnings: true });
    const tail = await store.loadTailIfExists('AAPL', '1m', 5, { returnWarnings: true });
    expect(columnsOf(tail?.frame as BarFrame)).toEqual(columnsOf(full.frame.tail(5)));
    expect(tail?.frame.lastTime).toBe(T0 + 49 * 60_000);
    expect(tail?.warnings.map((w) => w.code)).toEqual(['torn_row']);
    expect(tail?.warnings).toEqual(full.warnings);
  });

  it('answer undefined for a series that is not stored', async () => {
    expect(await new CsvStore({ dataDir: dir }).loadTailIfExists('AAPL', '1m', 5)).toBeUndefined();
  });
});

describe('CsvStore in-memory cache', () => {
  it('serves a repeated read from memory', async () => {
    const store = new CsvStore({ dataDir: dir, ...trusted });
    await store.save('AAPL', '1m', minuteBars(0, 20, 1));
    expect((await store.load('AAPL', '1m')).frame.length).toBe(20);
    // Without the column cache file, only memory can serve it as a cached read.
    await rm(resolveSeriesPaths(dir, 'AAPL', '1m', false).cache);
    const again = await store.load('AAPL', '1m');
    expect(again.fromCache).toBe(true);
    expect(again.frame.length).toBe(20);
  });

  it('sees a merge by another process at the next read (new inode)', async () => {
    const store = new CsvStore({ dataDir: dir, ...trusted });
    await store.save('AAPL', '1m', minuteBars(0, 20, 1));
    expect((await store.load('AAPL', '1m')).frame.length).toBe(20);
    expect((await store.loadTailIfExists('AAPL', '1m', 5))?.frame.lastTime).toBe(T0 + 19 * 60_000);
    await mergeInOtherProcess(dir, 20, 10, 2);
    expect((await store.load('AAPL', '1m')).frame.length).toBe(30);
    const tail = await store.loadTailIfExists('AAPL', '1m', 5);
    expect(tail?.frame.lastTime).toBe(T0 + 29 * 60_000);
    expect(tail?.frame.columns().close[4]).toBe(102);
    const answer = JSON.parse(await readStoredBarsJson(store, { symbol: 'AAPL', timeframe: '1m', limit: 2 }));
    expect(answer.data.at(-1)).toMatchObject({ date: '2024-03-01T00:29:00Z', close: 102 });
  });

  it('sees an in-place rewrite by another process that keeps size, inode and mtime', async () => {
    const store = new CsvStore({ dataDir: dir, ...trusted });
    await store.save('AAPL', '1m', minuteBars(0, 20, 1)); // prices 101
    const path = store.pathOf('AAPL', '1m');
    // A whole second, which the child can put back exactly.
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const before = await stat(path);
    expect((await store.loadTailIfExists('AAPL', '1m', 3))?.frame.columns().close[2]).toBe(101);
    expect((await store.load('AAPL', '1m')).frame.columns().close[19]).toBe(101);
    await rewriteInPlaceKeepingMtime(path, '101.0', '107.0');
    const after = await stat(path);
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
    expect((await readFile(path, 'latin1')).includes(',107.0,')).toBe(true);
    expect((await store.loadTailIfExists('AAPL', '1m', 3))?.frame.columns().close[2]).toBe(107);
    expect((await store.load('AAPL', '1m')).frame.columns().close[19]).toBe(107);
  });

  it("forgets a series on the store's own writes and deletes", async () => {
    const store = new CsvStore({ dataDir: dir, ...trusted });
    await store.save('AAPL', '1m', minuteBars(0, 20, 1));
    await store.load('AAPL', '1m');
    await store.mergeAndSave('AAPL', '1m', minuteBars(20, 5, 3));
    expect((await store.loadTailIfExists('AAPL', '1m', 1))?.frame.columns().close[0]).toBe(103);
    await store.delete('AAPL', '1m');
    expect(await store.loadIfExists('AAPL', '1m')).toBeUndefined();
    expect(await store.loadTailIfExists('AAPL', '1m', 1)).toBeUndefined();
  });
});

describe('HotSeriesCache', () => {
  const version = (ctimeMs: number, change: Partial<FileVersion> = {}): FileVersion => ({
    size: 100,
    mtimeMs: ctimeMs,
    ctimeMs,
    ino: 7,
    dev: 1,
    ...change,
  });
  const frame = minuteBars(0, 10, 1);
  const NOW = 1_000_000;

  it('serves only the version it was given, any field changed being a miss', () => {
    const cache = new HotSeriesCache({ now: () => NOW });
    const v = version(NOW - 5000);
    for (const change of [{ size: 101 }, { mtimeMs: 1 }, { ctimeMs: 1 }, { ino: 8 }, { dev: 2 }]) {
      cache.set('a', v, frame, true);
      expect(cache.get('a', v)?.frame).toBe(frame);
      expect(cache.get('a', version(NOW - 5000, change)), JSON.stringify(change)).toBeUndefined();
      expect(cache.get('a', v)?.frame).toBeUndefined(); // the stale entry is gone
    }
  });

  it('does not keep a version changed within the racy margin (coarse file times)', () => {
    const cache = new HotSeriesCache({ now: () => NOW, racyMarginMs: 2000 });
    cache.set('a', version(NOW - 1500), frame, true);
    expect(cache.get('a', version(NOW - 1500))).toBeUndefined();
    cache.set('a', version(NOW - 2500), frame, true);
    expect(cache.get('a', version(NOW - 2500))?.frame).toBe(frame);
  });

  it('serves a tail entry only for as many bars as it holds, and evicts the least recently used', () => {
    const cache = new HotSeriesCache({ now: () => NOW, maxBytes: 25 * 48 });
    const v = version(0);
    cache.set('tail', v, frame, false);
    expect(cache.get('tail', v, 10)?.frame).toBe(frame);
    expect(cache.get('tail', v, 11)?.frame).toBeUndefined();
    expect(cache.get('tail', v)?.frame).toBeUndefined();
    cache.set('b', v, frame, true);
    cache.get('tail', v, 5); // 'b' is now the least recently used
    cache.set('c', v, frame, true);
    expect(cache.get('b', v)?.frame).toBeUndefined();
    expect(cache.get('tail', v, 5)?.frame).toBe(frame);
    expect(cache.get('c', v)?.frame).toBe(frame);
    cache.set('huge', v, minuteBars(0, 26, 1), true);
    expect(cache.get('huge', v)?.frame).toBeUndefined();
  });

  it('keeps a memo per version, counted against the budget and gone with the version', () => {
    const cache = new HotSeriesCache({ now: () => NOW, maxBytes: 30 * 48 });
    const v = version(0);
    cache.set('a', v, frame, true); // 480 bytes
    cache.set('b', v, frame, true); // 960 of 1440
    const memo = cache.get('a', v)?.memo;
    memo?.set('x', new Uint8Array(100));
    expect(cache.get('a', v)?.memo.get('x')?.byteLength).toBe(100);
    expect(cache.get('a', v)?.memo).toBe(memo); // one memo per version: bytes are not kept twice
    // 'b' is the least recently used: the memo's bytes push it out, not 'a'.
    cache.get('a', v)?.memo.set('y', new Uint8Array(500));
    expect(cache.get('b', v)).toBeUndefined();
    expect(cache.get('a', v)?.memo.get('y')?.byteLength).toBe(500);
    // A new version starts with an empty memo; the old memo no longer grows.
    const changed = version(0, { size: 101 });
    expect(cache.get('a', changed)).toBeUndefined();
    memo?.set('z', new Uint8Array(10));
    cache.set('a', changed, frame, true);
    expect(cache.get('a', changed)?.memo.get('x')).toBeUndefined();
    expect(memo?.get('z')).toBeUndefined();
  });

  it('bounds a memo by keys and by the size of one entry', () => {
    const cache = new HotSeriesCache({ now: () => NOW });
    const v = version(0);
    cache.set('a', v, frame, true);
    const memo = cache.get('a', v)?.memo;
    memo?.set('huge', new Uint8Array(1024 * 1024 + 1));
    expect(memo?.get('huge')).toBeUndefined();
    for (let k = 0; k < 20; k++) memo?.set(`k${k}`, new Uint8Array(1));
    expect(
      Array.from({ length: 20 }, (_, k) => memo?.get(`k${k}`) !== undefined).filter(Boolean),
    ).toHaveLength(8);
  });
});

describe('readStoredBarsJson', () => {
  it('writes exactly what JSON.stringify writes for the answer object, warnings included', async () => {
    const store = new CsvStore({ dataDir: dir, onWarning: () => undefined });
    const odd = [0, -0, 1e-7, 123456789012345680000, 1.5e308, 1.7e308, -2.25, 0.1 + 0.2, 5e-324];
    const time = Float64Array.from(odd, (_, i) => Date.UTC(1999, 11, 31, 23, 59) + i * 86_400_000);
    const values = Float64Array.from(odd);
    await store.save(
      'MSFT',
      '1d',
      BarFrame.fromColumns({ time, open: values, high: values, low: values, close: values, volume: values }),
    );
    await store.save('AAPL', '1h', gappyBars(10), { simulated: true });
    const queries = [
      { symbol: 'MSFT', timeframe: '1d' },
      { symbol: 'MSFT', timeframe: '1d', limit: 3 },
      { symbol: 'aapl', timeframe: '1h', limit: 20 },
      { symbol: 'AAPL', timeframe: '1h', start: '2024-01-03', end: '2024-01-05T12:00:00Z', limit: 4 },
    ];
    for (const query of queries) {
      expect(await readStoredBarsJson(store, query)).toBe(JSON.stringify(await readStoredBars(store, query)));
    }
    await appendFile(store.pathOf('MSFT', '1d'), '2000-01-09T00:00:00Z,1,2');
    const torn = await readStoredBarsJson(store, { symbol: 'MSFT', timeframe: '1d', limit: 2 });
    expect(JSON.parse(torn).warnings).toHaveLength(1);
    expect(torn).toBe(
      JSON.stringify(await readStoredBars(store, { symbol: 'MSFT', timeframe: '1d', limit: 2 })),
    );
  });

  it('refuses a value JSON cannot hold', async () => {
    const store = new CsvStore({ dataDir: dir });
    const bars = minuteBars(0, 3, 1);
    const columns = { ...bars.columns(), volume: Float64Array.from([1, Number.NaN, 3]) };
    await store.save('AAPL', '1m', BarFrame.fromColumns(columns));
    await expect(readStoredBarsJson(store, { symbol: 'AAPL', timeframe: '1m' })).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });
});

describe('renderStoredBars', () => {
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const json = async (store: CsvStore, query: Parameters<typeof renderStoredBars>[1]) =>
    (await renderStoredBars(store, query, 'json')).bytes;

  it('renders the same answer once per version of the file, and again after another process writes', async () => {
    const store = new CsvStore({ dataDir: dir, ...trusted });
    await store.save('AAPL', '1m', minuteBars(0, 20, 1));
    const query = { symbol: 'AAPL', timeframe: '1m', limit: 5 };
    const first = await json(store, query);
    expect(text(first)).toBe(await readStoredBarsJson(store, query));
    expect(await json(store, query)).toBe(first); // the same bytes, not rendered anew
    const csv = await renderStoredBars(store, query, 'csv');
    expect(Buffer.from(csv.bytes).equals(formatBarsCsv(csv.series.frame))).toBe(true);
    expect(csv.series.frame.length).toBe(5);
    expect((await renderStoredBars(store, query, 'csv')).bytes).toBe(csv.bytes);
    expect(JSON.parse(text(await json(store, { ...query, limit: 6 }))).rows).toBe(6);
    await mergeInOtherProcess(dir, 20, 10, 2);
    const fresh = await json(store, query);
    expect(fresh).not.toBe(first);
    expect(JSON.parse(text(fresh)).data.at(-1)).toMatchObject({ date: '2024-03-01T00:29:00Z', close: 102 });
    expect(text(fresh)).toBe(await readStoredBarsJson(store, query));
    const freshCsv = text((await renderStoredBars(store, query, 'csv')).bytes);
    expect(freshCsv.trim().split('\n').at(-1)).toBe('2024-03-01T00:29:00Z,102.0,102.0,102.0,102.0,29.0');
  });

  it('keeps nothing for a range query or a read that worked around a torn row', async () => {
    const store = new CsvStore({ dataDir: dir, onWarning: () => undefined, ...trusted });
    await store.save('AAPL', '1m', minuteBars(0, 20, 1));
    const range = { symbol: 'AAPL', timeframe: '1m', start: '2024-03-01T00:05:00Z', limit: 3 };
    expect(await json(store, range)).not.toBe(await json(store, range));
    expect(text(await json(store, range))).toBe(await readStoredBarsJson(store, range));
    await appendFile(store.pathOf('AAPL', '1m'), '2024-03-01T00:20:00Z,1,2');
    const torn = { symbol: 'AAPL', timeframe: '1m', limit: 2 };
    const answer = await json(store, torn);
    expect(JSON.parse(text(answer)).warnings).toHaveLength(1);
    expect(await json(store, torn)).not.toBe(answer);
  });
});

describe('wireDate', () => {
  it('writes what formatIsoUtc writes, for every kind of time', () => {
    const times = [
      0,
      -1,
      1.5,
      -1.5,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(1969, 11, 31, 23, 59, 59),
      Date.UTC(0, 0, 1) - 86_400_000 * 366 * 1900,
      -62_167_219_200_001,
      253_402_300_799_999,
      253_402_300_800_000,
      8.64e15,
    ];
    for (let i = 0; i < 2000; i++) times.push(Math.floor((Math.random() - 0.3) * 4e12));
    for (const ms of times) expect(wireDate(ms), String(ms)).toBe(formatIsoUtc(ms));
  });
});
