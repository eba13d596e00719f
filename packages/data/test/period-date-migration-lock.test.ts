import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calendarForInstrument } from '../src/calendar/exchange-calendars';
import { BarFrame } from '../src/domain/bar-frame';
import { migratePeriodDates } from '../src/manager/period-date-migration';
import { CsvStore } from '../src/store/index';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const bars = (times: number[], close: number) =>
  BarFrame.fromRows(times.map((time) => ({ time, open: close, high: close, low: close, close, volume: 1 })));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ktrdr-period-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('weekly date conversion beside a writer in another process', () => {
  it("converts under the series lock, so the other process' bars are kept", async () => {
    const store = new CsvStore({ dataDir: dir, cache: false });
    // Old convention: each week dated by its Monday (the week of Good Friday 2024 ends Thursday).
    await store.save(
      'AAPL',
      '1w',
      bars([day('2024-03-04'), day('2024-03-11'), day('2024-03-18'), day('2024-03-25')], 1),
    );
    // Another process merges two newer weeks (already dated by IB's convention) and holds the lock a while.
    const added = [day('2024-04-05'), day('2024-04-12')];
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        WRITER,
        'held-merge',
        dir,
        JSON.stringify({ timeframe: '1w', times: added, close: 2, holdMs: 1500 }),
      ],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('holding')) resolve();
      });
      child.on('exit', () => reject(new Error(`the writer ended before holding the lock: ${err}`)));
    });

    const message = await migratePeriodDates(store, 'AAPL', '1w', {
      simulated: false,
      calendar: calendarForInstrument('STK'),
      nowMs: day('2024-06-01'),
    });
    expect(await exited).toBe(0);

    expect(message).toMatch(/^AAPL 1w: 4 stored bar\(s\)/);
    const stored = await store.load('AAPL', '1w');
    expect(Array.from(stored.frame.columns().time)).toEqual([
      day('2024-03-08'),
      day('2024-03-15'),
      day('2024-03-22'),
      day('2024-03-28'),
      ...added,
    ]);
    expect(Array.from(stored.frame.columns().close)).toEqual([1, 1, 1, 1, 2, 2]);
  }, 60_000);
});
