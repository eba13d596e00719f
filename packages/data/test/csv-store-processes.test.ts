import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvStore, parseBarsCsvFile } from '../src/store/index';
import { T0, minuteBars } from './fixtures/minute-bars';

// The store's fault suite across real processes: writers are `node --import tsx` children, run from
// the repository root so tsx resolves `@ktrdr/*` to the sources.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));

interface Writer {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWriter(mode: 'merge' | 'slow-save', dataDir: string, spec: unknown): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, mode, dataDir, JSON.stringify(spec)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr: err })),
  );
  return { child, stdout: () => out, exited };
}

/** The checks after every fault: the file parses whole, times unique and strictly increasing. */
async function expectSoundFile(path: string): Promise<number[]> {
  const bytes = await readFile(path);
  const parsed = parseBarsCsvFile(bytes, path);
  expect(parsed.torn).toBeUndefined();
  const times = Array.from(parsed.frame.columns().time);
  // Strictly increasing in the file itself, not only after the parser sorted it.
  const lines = bytes.toString('latin1').trimEnd().split('\n').slice(1);
  expect(lines.length).toBe(times.length);
  const fileTimes = lines.map((line) => Date.parse(line.slice(0, line.indexOf(','))));
  for (let i = 1; i < fileTimes.length; i++) expect(fileTimes[i]).toBeGreaterThan(fileTimes[i - 1] as number);
  return times;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ktrdr-store-procs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CsvStore across processes', () => {
  it('loses no bar when 4 processes merge disjoint and overlapping ranges into one series at once', async () => {
    const writers = 4;
    const rounds = 8;
    const chunk = 240; // 4 hours of 1m bars per merge
    const shared = writers * rounds * chunk; // first minute of the range every writer also writes
    const expected = new Set<number>();
    const runs = Array.from({ length: writers }, (_, k) => {
      const chunks: [number, number, number][] = [];
      for (let round = 0; round < rounds; round++) {
        // Its own range, interleaved with the others' so every round grows the same file...
        const own = (round * writers + k) * chunk;
        chunks.push([own, chunk, k]);
        // ...and a range overlapping the next writer's, so merges of one minute race too.
        const overlap = shared + round * chunk + k * (chunk / 2);
        chunks.push([overlap, chunk, k]);
        for (const first of [own, overlap]) for (let m = first; m < first + chunk; m++) expected.add(m);
      }
      return startWriter('merge', dir, { chunks });
    });
    const results = await Promise.all(runs.map((run) => run.exited));
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });

    const path = join(dir, 'AAPL_1m.csv');
    const times = await expectSoundFile(path);
    const minutes = times.map((t) => (t - T0) / 60_000);
    expect(minutes.length).toBe(expected.size);
    expect(minutes).toEqual([...expected].sort((a, b) => a - b));
    // Nothing left behind: no temp file, no lock.
    expect((await readdir(dir)).sort()).toEqual(['.AAPL_1m.cols', 'AAPL_1m.csv']);
  }, 120_000);

  it('keeps the old complete file when a writer is killed mid-write, and the next write cleans up', async () => {
    const store = new CsvStore({ dataDir: dir, lock: { staleMs: 2000 } });
    await store.save('AAPL', '1m', minuteBars(0, 3000, 1));
    const before = await readFile(join(dir, 'AAPL_1m.csv'));

    const writer = startWriter('slow-save', dir, { rows: 20_000, tag: 2 });
    // Killed once its temp file exists: the new version is being written, the old one still stands.
    const deadline = Date.now() + 60_000;
    let temps: string[] = [];
    while (temps.length === 0) {
      if (Date.now() > deadline) throw new Error(`the writer never started writing: ${writer.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      temps = (await readdir(dir)).filter((name) => name.startsWith('.tmp-AAPL_1m.csv.'));
    }
    writer.child.kill('SIGKILL');
    expect((await writer.exited).signal).toBe('SIGKILL');

    // The old version, byte for byte; the orphan temp file and the dead writer's lock are still there.
    expect(await readFile(join(dir, 'AAPL_1m.csv'))).toEqual(before);
    await expectSoundFile(join(dir, 'AAPL_1m.csv'));
    expect((await readdir(dir)).filter((name) => name.startsWith('.tmp-AAPL_1m.csv.'))).toEqual(temps);
    expect(await readdir(dir)).toContain('.AAPL_1m.lock');

    // The next write waits for the dead writer's lock to go stale, takes it, and removes the orphan.
    const saved = await new CsvStore({ dataDir: dir, lock: { staleMs: 2000 } }).mergeAndSave(
      'AAPL',
      '1m',
      minuteBars(3000, 10, 3),
    );
    expect(saved).toMatchObject({ rows: 3010, added: 10 });
    expect((await readdir(dir)).sort()).toEqual(['.AAPL_1m.cols', 'AAPL_1m.csv']);
    expect((await expectSoundFile(join(dir, 'AAPL_1m.csv'))).length).toBe(3010);
  }, 120_000);
});
