/**
 * Checks of a data folder after a fault, shared by the fault suites (data and CLI): every series
 * file parses, its timestamps are unique and strictly increasing, and two folders hold the same
 * series byte for byte (a rerun after a fault equals a clean single load).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { parseBarsCsv } from '../../src/store/csv-parse';

/** Series CSV files under `dataDir` (relative paths, sorted); dot files (caches, temp files, notes) are skipped. */
export async function seriesFiles(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.csv')) found.push(relative(dataDir, path));
    }
  };
  await walk(dataDir);
  return found.sort();
}

/** What {@link expectStoreSound} found: bars per series file. */
export type StoreCensus = Record<string, number>;

/**
 * Asserts that every series under `dataDir` parses and that its bar times are unique and strictly
 * increasing, with finite prices and volumes. Returns the bar count of every file.
 */
export async function expectStoreSound(dataDir: string): Promise<StoreCensus> {
  const census: StoreCensus = {};
  for (const file of await seriesFiles(dataDir)) {
    const path = join(dataDir, file);
    const frame = parseBarsCsv(await readFile(path), path);
    const { time, open, high, low, close, volume } = frame.columns();
    for (let i = 0; i < frame.length; i++) {
      if (i > 0 && !((time[i] as number) > (time[i - 1] as number))) {
        expect.fail(`${file}: row ${i + 2} is not after row ${i + 1} (times must be unique and increasing)`);
      }
      for (const [name, column] of Object.entries({ open, high, low, close, volume })) {
        if (!Number.isFinite(column[i] as number))
          expect.fail(`${file}: row ${i + 2} has a non-finite ${name}`);
      }
    }
    census[file] = frame.length;
  }
  return census;
}

/** Asserts that both folders hold the same series files with identical bytes. */
export async function expectSameSeries(actualDir: string, expectedDir: string): Promise<void> {
  const actual = await seriesFiles(actualDir);
  expect(actual).toEqual(await seriesFiles(expectedDir));
  for (const file of actual) {
    const [a, b] = await Promise.all([readFile(join(actualDir, file)), readFile(join(expectedDir, file))]);
    if (!a.equals(b)) expect.fail(`${file} differs from a clean load (${a.length} vs ${b.length} bytes)`);
  }
}
