/**
 * Load time of a 1,000,000-bar series, side by side: our cold CSV load, our cached load, a plain
 * read of the cache file's bytes (the floor a cached load can reach), DuckDB's `read_csv` with 2
 * threads (materialised, and a scan alone), and pandas `read_csv` with an explicit date format.
 * Ours, the floor and DuckDB take turns in every round (a load spike on a shared machine hits each
 * alike); figures are medians over rounds, ratios medians of per-round ratios. pandas runs after,
 * in its own process (`--no-pandas` skips it). Run: `npx tsx bench/data-load/run.ts [--rounds 7]`.
 *
 * The CSV is written by our store, so the pandas and DuckDB sides also check that they read our
 * files (row count, first date, sum of closes).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BarFrame } from '../../packages/data/src/domain/index';
import { CsvStore, type LoadedSeries, parseBarsCsv } from '../../packages/data/src/store/index';

const ROWS = 1_000_000;
const roundsIndex = process.argv.indexOf('--rounds');
const RUNS =
  Math.min(15, Math.max(1, Number(process.argv[roundsIndex + 1]) || 7)) * (roundsIndex >= 0 ? 1 : 1);
const PANDAS = !process.argv.includes('--no-pandas');
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

/** DuckDB's side: one in-memory instance with 2 threads, reading the same CSV with its types given. */
async function openDuckDb(csvPath: string) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  const source =
    `read_csv('${csvPath.replaceAll("'", "''")}', header = true, timestampformat = '${DATE_FORMAT}', ` +
    `columns = {'date': 'TIMESTAMP', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'})`;
  const version = (await connection.runAndReadAll('SELECT version() AS v')).getRowObjects()[0]?.['v'];
  return {
    version: String(version),
    /** The whole result, materialised in DuckDB's memory (not converted to JS values): its rows. */
    async materialised(): Promise<number> {
      return Number((await connection.run(`SELECT * FROM ${source}`)).rowCount);
    },
    /** What DuckDB read, to check it against what was written. */
    async check(): Promise<{ rows: number; first: string; closeSum: number }> {
      const check = await connection.runAndReadAll(
        `SELECT strftime(min(date), '${DATE_FORMAT}') AS first, sum(close) AS close_sum FROM ${source}`,
      );
      const row = check.getRowObjects()[0] ?? {};
      return {
        rows: await this.materialised(),
        first: String(row['first']),
        closeSum: Number(row['close_sum']),
      };
    },
    /** A scan alone: every column parsed and aggregated, nothing kept. */
    async scan(): Promise<void> {
      await connection.run(
        `SELECT max(date), sum(open), sum(high), sum(low), sum(close), sum(volume) FROM ${source}`,
      );
    },
    close: () => connection.closeSync(),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrdr-data-load-'));
  try {
    const reference = generate(ROWS);
    const t0 = performance.now();
    await new CsvStore({ dataDir: dir }).save(SYMBOL, TIMEFRAME, reference);
    const saveMs = performance.now() - t0;
    // No in-memory cache: every load here reads the files, as a new process would.
    const store = new CsvStore({ dataDir: dir, hotCache: false });
    const csvPath = store.pathOf(SYMBOL, TIMEFRAME);
    const cachePath = join(dir, `.${SYMBOL}_${TIMEFRAME}.cols`);
    const sizeMb = statSync(csvPath).size / 1e6;
    const expectedClose = sum(reference.columns().close);
    const firstDate = new Date(reference.firstTime as number).toISOString().slice(0, 19) + 'Z';

    const check = (frame: BarFrame, what: string): void => {
      if (
        frame.length !== ROWS ||
        frame.firstTime !== reference.firstTime ||
        sum(frame.columns().close) !== expectedClose
      ) {
        throw new Error(`${what}: loaded data differs from what was written`);
      }
    };

    const duck = await openDuckDb(csvPath);
    const duckRead = await duck.check();
    const duckReadsOurs =
      duckRead.rows === ROWS &&
      duckRead.first === firstDate &&
      Math.abs(duckRead.closeSum - expectedClose) <= 1e-9 * Math.abs(expectedClose);
    const bytes = readFileSync(csvPath);

    // Each mode's result is checked after it was timed, in every round.
    const modes: Record<string, { run: () => Promise<unknown>; check?: (result: unknown) => void }> = {
      // Parse only: bytes already in memory, no I/O, no cache.
      'ours, parse only (bytes in memory)': {
        run: async () => parseBarsCsv(bytes, csvPath),
        check: (frame) => check(frame as BarFrame, 'parse'),
      },
      // Cold: no cache, so read + parse + build the cache (what a first load costs).
      'ours, cold load (CSV -> cache built)': {
        run: () => store.load(SYMBOL, TIMEFRAME),
        check: (result) => {
          const loaded = result as LoadedSeries;
          if (loaded.fromCache || !existsSync(cachePath))
            throw new Error('cold load did not build the cache');
          check(loaded.frame, 'cold load');
        },
      },
      'ours, cached load': {
        run: () => store.load(SYMBOL, TIMEFRAME),
        check: (result) => {
          const loaded = result as LoadedSeries;
          if (!loaded.fromCache) throw new Error('cached load did not use the cache');
          check(loaded.frame, 'cached load');
        },
      },
      "plain read of the cache file's bytes (floor)": { run: () => readFile(cachePath) },
      'DuckDB read_csv, materialised (2 threads)': {
        run: () => duck.materialised(),
        check: (rows) => {
          if (rows !== ROWS) throw new Error(`DuckDB read ${String(rows)} rows`);
        },
      },
      'DuckDB read_csv, scan alone (2 threads)': { run: () => duck.scan() },
    };
    const times = new Map<string, number[]>(Object.keys(modes).map((name) => [name, []]));
    for (const [name, { run }] of Object.entries(modes)) {
      if (name.includes('cold')) rmSync(cachePath, { force: true });
      await run(); // warm-up
    }
    const loads: number[] = [];
    for (let round = 0; round < RUNS; round++) {
      loads.push(loadavg()[0] as number);
      const names = Object.keys(modes);
      for (const name of round % 2 === 0 ? names : names.reverse()) {
        if (name.includes('cold')) rmSync(cachePath, { force: true });
        const mode = modes[name];
        if (mode === undefined) continue;
        const s = performance.now();
        const result = await mode.run();
        times.get(name)?.push(performance.now() - s);
        mode.check?.(result);
      }
    }
    duck.close();
    const of = (name: string) => times.get(name) ?? [];
    const paired = (a: string, b: string) => median(of(a).map((t, i) => t / (of(b)[i] as number)));
    const COLD = 'ours, cold load (CSV -> cache built)';
    const CACHED = 'ours, cached load';
    const FLOOR = "plain read of the cache file's bytes (floor)";
    const DUCK = 'DuckDB read_csv, materialised (2 threads)';

    const pandas = PANDAS ? runPandas(csvPath) : 'skipped (--no-pandas)';
    const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
    const lines: string[] = [];
    lines.push(
      `rows: ${ROWS.toLocaleString('en-US')}, CSV ${sizeMb.toFixed(1)} MB, ${RUNS} rounds (medians), ` +
        `${cpus().length} CPUs, load average ${median(loads).toFixed(1)} (median at round starts)`,
    );
    lines.push(`save (format + atomic write + cache): ${fmt(saveMs)}`);
    for (const name of Object.keys(modes)) {
      lines.push(
        `${`${name}:`.padEnd(46)} ${fmt(median(of(name))).padStart(10)}  (${of(name)
          .map((t) => t.toFixed(0))
          .join(', ')})`,
      );
    }
    lines.push(
      `DuckDB ${duck.version} reads our file: ${duckReadsOurs ? 'yes (rows, first date, close sum match)' : 'NO - MISMATCH'}`,
    );
    const cold = paired(COLD, DUCK);
    const cached = paired(CACHED, FLOOR);
    lines.push(
      `ours cold / DuckDB materialised (paired): ${cold.toFixed(2)}x -> ${cold <= 1 ? 'met' : 'MISSED'} (<= 1)`,
    );
    lines.push(
      `ours cached / plain read of the cache bytes (paired): ${cached.toFixed(2)}x -> ${cached <= 2 ? 'met' : 'MISSED'} (<= 2)`,
    );
    if (!duckReadsOurs) process.exitCode = 1;
    if (typeof pandas === 'string') {
      lines.push(`pandas: ${pandas}`);
    } else {
      const readsOurs =
        pandas.rows === ROWS &&
        pandas.first === firstDate &&
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
      lines.push(`ratio pandas / ours cold:   ${(p / median(of(COLD))).toFixed(1)}x`);
      lines.push(`ratio pandas / ours cached: ${(p / median(of(CACHED))).toFixed(1)}x`);
      if (!readsOurs) process.exitCode = 1;
    }
    console.log(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
