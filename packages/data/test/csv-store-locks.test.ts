import { ConflictError } from '@ktrdr/core';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AtomicWriteIo, CsvStore, nodeIo } from '../src/store/index';
import { minuteBars } from './fixtures/minute-bars';

// The writers' lock and the clean-up it allows, in one process (the cross-process cases are in
// csv-store-processes.test.ts).
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ktrdr-store-locks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LOCK = () => join(dir, '.AAPL_1m.lock');
const csvTemps = async () => (await readdir(dir)).filter((name) => name.startsWith('.tmp-'));

describe('CsvStore: the series lock', () => {
  it('waits for a live holder, then fails with a ConflictError naming no absolute path', async () => {
    await mkdir(LOCK()); // a fresh lock: another writer is at work
    const store = new CsvStore({ dataDir: dir, lock: { timeoutMs: 300 } });
    const error = await store.mergeAndSave('AAPL', '1m', minuteBars(0, 5, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toContain('AAPL_1m.csv');
    expect((error as ConflictError).message).not.toContain(dir);
    expect(await readdir(dir)).toEqual(['.AAPL_1m.lock']);
  });

  it("takes over a dead writer's stale lock at once", async () => {
    await mkdir(LOCK());
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(LOCK(), minuteAgo, minuteAgo);
    const store = new CsvStore({ dataDir: dir, lock: { timeoutMs: 1000 } });
    expect(await store.mergeAndSave('AAPL', '1m', minuteBars(0, 5, 1))).toMatchObject({ rows: 5 });
    expect(await readdir(dir)).not.toContain('.AAPL_1m.lock'); // released
  });

  it('never commits a write whose lock was taken over while it was writing', async () => {
    const store = new CsvStore({ dataDir: dir });
    await store.save('AAPL', '1m', minuteBars(0, 5, 1));
    const before = await readFile(join(dir, 'AAPL_1m.csv'), 'utf8');
    let stolen = false;
    // A writer stalled past the stale time: meanwhile another took the lock over (a new directory).
    const stallingIo: AtomicWriteIo = {
      ...nodeIo,
      async open(path, flags, mode) {
        const handle = (await nodeIo.open(path, flags, mode)) as FileHandle;
        return {
          sync: () => handle.sync(),
          close: () => handle.close(),
          async write(buffer: Uint8Array, offset?: number, length?: number) {
            if (!stolen) {
              stolen = true;
              await rmdir(LOCK());
              await mkdir(LOCK());
              await new Promise((resolve) => setTimeout(resolve, 2000)); // past the 1 s refresh
            }
            return handle.write(buffer, offset, length);
          },
        } as Pick<FileHandle, 'write' | 'sync' | 'close'>;
      },
    };
    const stalling = new CsvStore({ dataDir: dir, io: stallingIo, lock: { staleMs: 2000 } });
    const error = await stalling.mergeAndSave('AAPL', '1m', minuteBars(5, 5, 2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/^Lost the lock on AAPL_1m\.csv/);
    expect(await readFile(join(dir, 'AAPL_1m.csv'), 'utf8')).toBe(before);
    expect(await csvTemps()).toEqual([]);
  });
});

describe('CsvStore: orphan temp files', () => {
  it("removes dead writers' temp files of the series at its next write, and nothing else", async () => {
    const old = new Date(Date.now() - 3_600_000);
    const orphans = ['.tmp-AAPL_1m.csv.4242.0123456789ab', '.tmp-.AAPL_1m.cols.4242.0123456789ab'];
    const kept = [
      '.tmp-.AAPL_1m.cols.4343.ba9876543210', // a reader's cache write, still fresh
      '.tmp-MSFT_1m.csv.4242.0123456789ab', // another series
      '.tmp-AAPL_1h.csv.4242.0123456789ab',
    ];
    for (const name of [...orphans, ...kept]) await writeFile(join(dir, name), 'x'.repeat(1000));
    for (const name of [...orphans, kept[1] as string, kept[2] as string])
      await utimes(join(dir, name), old, old);

    await new CsvStore({ dataDir: dir }).mergeAndSave('AAPL', '1m', minuteBars(0, 5, 1));
    expect((await csvTemps()).sort()).toEqual([...kept].sort());
  });
});
