/**
 * Load time of a 1,000,000-bar series: our cold CSV load, our cached load, and pandas `read_csv`
 * with an explicit date format, side by side. Run: `npx tsx bench/data-load/run.ts`.
 *
 * The CSV is written by our store, so the pandas side also checks that pandas reads our files
 * (row count, first date, sum of closes).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BarFrame } from '../../packages/data/src/domain/index';
import { CsvStore, parseBarsCsv } from '../../packages/data/src/store/index';

const ROWS = 1_000_000;
const RUNS = 5;
const PYTHON = '/usr/bin/python3';
const SYMBOL = 'EUR.USD';
const TIMEFRAME = '1m';
const DATE_FORMAT = '%Y-%m-%dT%H:%M:%SZ';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A random walk of 1-minute forex bars, prices rounded to 5 decimals as IB quotes them. */
function generate(rows: number): BarFrame {
  const time = new Float64Array(rows);
  const open = new Float64Array(rows);
  const high = new Float64Array(rows);
  const low = new Float64Array(rows);
  const close = new Float64Array(rows);
  const volume = new Float64Array(rows);
  let seed = 42;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const round = (x: number): number => Math.round(x * 1e5) / 1e5;
  let price = 1.1;
  const start = Date.UTC(2020, 0, 1);
  for (let i = 0; i < rows; i++) {
    time[i] = start + i * 60_000;
    const o = round(price);
    price *= 1 + (random() - 0.5) * 0.001;
    const c = round(price);
    open[i] = o;
    close[i] = c;
    high[i] = round(Math.max(o, c) + random() * 0.0005);
    low[i] = round(Math.min(o, c) - random() * 0.0005);
    volume[i] = Math.floor(random() * 10_000);
  }
  return BarFrame.fromColumns({ time, open, high, low, close, volume });
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

const PANDAS_SCRIPT = `
import json, sys, time
import pandas as pd
path, runs, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load():
    try:
        return pd.read_csv(path, parse_dates=['date'], date_format=fmt)  # pandas >= 2.0
    except TypeError:
        # pandas 1.x has no date_format: the documented way is a vectorised date_parser
        return pd.read_csv(path, parse_dates=['date'], date_parser=lambda s: pd.to_datetime(s, format=fmt))
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    df = load()
    times.append((time.perf_counter() - t0) * 1000)
raw = []  # the parse floor: read_csv leaving dates as strings
for _ in range(runs):
    t0 = time.perf_counter()
    pd.read_csv(path)
    raw.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"version": pd.__version__, "ms": times, "rawMs": raw, "rows": len(df),
                  "first": df['date'].iloc[0].strftime('%Y-%m-%dT%H:%M:%SZ'),
                  "dtype": str(df['date'].dtype), "closeSum": float(df['close'].sum())}))
`;

interface PandasResult {
  version: string;
  ms: number[];
  rawMs: number[];
  rows: number;
  first: string;
  dtype: string;
  closeSum: number;
}

function runPandas(csvPath: string): PandasResult | string {
  try {
    execFileSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' });
  } catch {
    return `pandas not importable by ${PYTHON}: apt-get update && apt-get install -y python3-pandas`;
  }
  const out = execFileSync(PYTHON, ['-c', PANDAS_SCRIPT, csvPath, String(RUNS), DATE_FORMAT], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as PandasResult;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrdr-data-load-'));
  try {
    const store = new CsvStore({ dataDir: dir });
    const reference = generate(ROWS);
    const t0 = performance.now();
    await store.save(SYMBOL, TIMEFRAME, reference);
    const saveMs = performance.now() - t0;
    const csvPath = store.pathOf(SYMBOL, TIMEFRAME);
    const cachePath = join(dir, `.${SYMBOL}_${TIMEFRAME}.cols`);
    const sizeMb = statSync(csvPath).size / 1e6;
    const expectedClose = sum(reference.columns().close);

    const check = (frame: BarFrame, what: string): void => {
      if (
        frame.length !== ROWS ||
        frame.firstTime !== reference.firstTime ||
        sum(frame.columns().close) !== expectedClose
      ) {
        throw new Error(`${what}: loaded data differs from what was written`);
      }
    };

    // Parse only: bytes already in memory, no I/O, no cache.
    const bytes = readFileSync(csvPath);
    const parseMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const s = performance.now();
      check(parseBarsCsv(bytes, csvPath), 'parse');
      parseMs.push(performance.now() - s);
    }

    // Cold: no cache, so read + parse + build the cache (what a first load costs).
    const coldMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      rmSync(cachePath, { force: true });
      const s = performance.now();
      const loaded = await store.load(SYMBOL, TIMEFRAME);
      coldMs.push(performance.now() - s);
      if (loaded.fromCache || !existsSync(cachePath)) throw new Error('cold load did not build the cache');
      check(loaded.frame, 'cold load');
    }

    const cachedMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const s = performance.now();
      const loaded = await store.load(SYMBOL, TIMEFRAME);
      cachedMs.push(performance.now() - s);
      if (!loaded.fromCache) throw new Error('cached load did not use the cache');
      check(loaded.frame, 'cached load');
    }

    const pandas = runPandas(csvPath);
    const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
    const lines: string[] = [];
    lines.push(
      `rows: ${ROWS.toLocaleString('en-US')}, CSV ${sizeMb.toFixed(1)} MB, runs: ${RUNS} each (medians)`,
    );
    lines.push(`save (format + atomic write + cache): ${fmt(saveMs)}`);
    lines.push(`ours, parse only (bytes in memory):  ${fmt(median(parseMs))}`);
    lines.push(`ours, cold load (CSV -> cache built): ${fmt(median(coldMs))}`);
    lines.push(`ours, cached load:                    ${fmt(median(cachedMs))}`);
    if (typeof pandas === 'string') {
      lines.push(`pandas: skipped (${pandas})`);
    } else {
      const readsOurs =
        pandas.rows === ROWS &&
        pandas.first === new Date(reference.firstTime as number).toISOString().slice(0, 19) + 'Z' &&
        Math.abs(pandas.closeSum - expectedClose) <= 1e-9 * Math.abs(expectedClose);
      const p = median(pandas.ms);
      lines.push(
        `pandas ${pandas.version} read_csv(parse_dates, format '${DATE_FORMAT}'): ${fmt(p)} (dtype ${pandas.dtype})`,
      );
      const raw = median(pandas.rawMs);
      lines.push(`pandas read_csv, dates left as strings (a floor, not the anchor): ${fmt(raw)}`);
      lines.push(
        `pandas reads our file: ${readsOurs ? 'yes (rows, first date, close sum match)' : 'NO - MISMATCH'}`,
      );
      lines.push(`ratio pandas / ours cold:   ${(p / median(coldMs)).toFixed(1)}x`);
      lines.push(`ratio pandas / ours cached: ${(p / median(cachedMs)).toFixed(1)}x`);
      lines.push(`ratio pandas / ours parse:  ${(p / median(parseMs)).toFixed(1)}x`);
      lines.push(`ratio pandas no-dates floor / ours cold: ${(raw / median(coldMs)).toFixed(1)}x`);
      if (!readsOurs) process.exitCode = 1;
    }
    console.log(lines.join('\n'));
    writeResults(lines);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces the `## data-load` section of bench/RESULTS.md, keeping everyone else's sections. */
function writeResults(lines: string[]): void {
  const path = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'RESULTS.md');
  const section = [
    '## data-load',
    '',
    'Command: `npx tsx bench/data-load/run.ts` (1M 1-minute bars written by our store; pandas is Debian',
    '`python3-pandas` under `/usr/bin/python3`, timed in-process without interpreter start-up).',
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '```',
    ...lines,
    '```',
    '',
  ].join('\n');
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n\n';
  const pattern = /## data-load\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(existing)
    ? existing.replace(pattern, section.trimEnd() + '\n')
    : `${existing.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
}

await main();
