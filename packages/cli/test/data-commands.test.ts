import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CSV_HEADER } from '@ktrdr/data';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { Collector, daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

let simulator: IbSimulator;
let env: Record<string, string>;
let data: Awaited<ReturnType<typeof tempDir>>;
const withData = (...args: string[]) => [...args, '--data-dir', data.path];

beforeAll(async () => {
  ({ simulator, env } = await startSimulator());
  data = await tempDir();
});
afterAll(async () => {
  await simulator.close();
  await data.remove();
});

describe('data load', () => {
  it('loads through the SDK into the simulated area and answers json with the final operation', async () => {
    const run = await runKtrdr(
      withData('data', 'load', 'aapl', '-t', '1h', '--start', daysAgo(20), '-f', 'json'),
      { env },
    );
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout) as Record<string, unknown> & {
      result_summary: Record<string, unknown>;
    };
    expect(info).toMatchObject({ operation_type: 'data_load', status: 'completed', simulated: true });
    expect(info['operation_id']).toMatch(/^op_data_load_/);
    expect(info.result_summary).toMatchObject({
      symbol: 'AAPL',
      timeframe: '1h',
      mode: 'tail',
      simulated: true,
    });
    expect(info.result_summary['bars']).toBeGreaterThan(50);
    expect(await readdir(join(data.path, 'simulated'))).toContain('AAPL_1h.csv');
    // Not a terminal: plain progress lines on stderr, never carriage returns.
    expect(run.stderr).toMatch(/^AAPL 1h tail: 100% \[done\]/m);
    expect(run.stderr).not.toContain('\r');
  });

  it('summarises a load as a table labelled SIMULATED, and hides progress on request', async () => {
    const run = await runKtrdr(
      withData('data', 'load', 'MSFT', '-t', '1h', '--start', daysAgo(10), '--no-progress'),
      { env },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Loaded MSFT 1h \(tail\) {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^ {2}status +completed$/m);
    expect(run.stdout).toContain('SIMULATED data: synthetic bars');
    expect(run.stderr).toBe('');
  });
});

describe('data load --pacing', () => {
  it('names the policy in use (practical by default, strict on request) and refuses any other', async () => {
    const practical = await runKtrdr(withData('data', 'load', 'AAPL', '-t', '1h', '--start', daysAgo(5)), {
      env,
    });
    expect(practical.code).toBe(0);
    expect(practical.stderr).toMatch(/^Pacing: practical \(IB's hard rules for bars of 30 s or less/m);
    const strict = await runKtrdr(
      withData('data', 'load', 'AAPL', '-t', '5m', '--start', daysAgo(3), '--pacing', 'strict'),
      { env },
    );
    expect(strict.code).toBe(0);
    expect(strict.stderr).toMatch(/^Pacing: strict \(IB's hard rules \(60 requests per 10 minutes\)/m);
    const bad = await runKtrdr(withData('data', 'load', 'AAPL', '--pacing', 'fast'), { env });
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toContain("Invalid --pacing 'fast': use one of practical, strict.");
  });
});

describe('data show', () => {
  it('shows the latest bars as an aligned table, labelled SIMULATED', async () => {
    const run = await runKtrdr(withData('data', 'show', 'AAPL', '-t', '1h', '-r', '5'), { env: {} });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^AAPL 1h · 5 bars · \d{4}-\d{2}-\d{2} \d{2}:\d{2} → .* UTC {2}\[SIMULATED\]$/);
    expect(lines[1]).toMatch(/^date \(UTC\) +open +high +low +close +volume$/);
    const rows = lines.slice(3, 8);
    expect(rows).toHaveLength(5);
    // Right-aligned numbers: every row as long as the header rule.
    for (const row of rows) expect(row.length).toBe((lines[2] as string).length);
  });

  it('answers stable json with simulated: true', async () => {
    const run = await runKtrdr(withData('data', 'show', 'AAPL', '-t', '1h', '-r', '3', '-f', 'json'));
    const body = JSON.parse(run.stdout) as { bars: { date: string; close: number }[] };
    expect(body).toMatchObject({ symbol: 'AAPL', timeframe: '1h', simulated: true, rows: 3 });
    expect(body.bars).toHaveLength(3);
    expect(Object.keys(body.bars[0] as object)).toEqual(['date', 'open', 'high', 'low', 'close', 'volume']);
    expect(body.bars[0]?.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('writes pure csv on stdout and the SIMULATED note on stderr', async () => {
    const run = await runKtrdr(withData('data', 'show', 'AAPL', '-t', '1h', '-r', '2', '-f', 'csv'));
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('date,open,high,low,close,volume');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,[\d.]+,[\d.]+,[\d.]+,[\d.]+,\d+$/);
    expect(run.stderr).toContain('SIMULATED data');
  });

  it('honours --start and --end', async () => {
    // A whole week always holds trading days, whatever today is.
    const [start, end] = [daysAgo(15), daysAgo(8)];
    const run = await runKtrdr(
      withData(
        'data',
        'show',
        'AAPL',
        '-t',
        '1h',
        '--start',
        start,
        '--end',
        end,
        '-r',
        '1000',
        '-f',
        'json',
      ),
    );
    const body = JSON.parse(run.stdout) as { bars: { date: string }[] };
    expect(body.bars.length).toBeGreaterThan(0);
    expect(body.bars.every((bar) => bar.date >= start && bar.date < end)).toBe(true);
  });

  it('draws the close series as a chart', async () => {
    const run = await runKtrdr(withData('data', 'show', 'AAPL', '-t', '1h', '--chart'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^AAPL 1h · \d+ bars · .* · close {2}\[SIMULATED\]$/m);
    const plotRows = run.stdout.split('\n').filter((line) => line.includes('┤'));
    expect(plotRows).toHaveLength(12);
    expect(run.stdout).toMatch(/[╭╮╰╯─]/);
  });
});

describe('data range and symbols', () => {
  it('shows the stored range of a series', async () => {
    const run = await runKtrdr(withData('data', 'range', 'AAPL', '-f', 'json'));
    const body = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ symbol: 'AAPL', timeframe: '1h', simulated: true });
    expect(body['rows']).toBeGreaterThan(50);
    const table = await runKtrdr(withData('data', 'range', 'AAPL'));
    expect(table.stdout).toMatch(/^AAPL 1h stored range {2}\[SIMULATED\]$/m);
    expect(table.stdout).toMatch(/^ {2}source +SIMULATED$/m);
  });

  it('lists every stored series, each marked real or SIMULATED', async () => {
    const run = await runKtrdr(withData('data', 'symbols'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^AAPL +1h +[\d,]+ .* SIMULATED$/m);
    expect(run.stdout).toMatch(/^MSFT +1h +[\d,]+ .* SIMULATED$/m);
    const csv = await runKtrdr(withData('data', 'symbols', '-f', 'csv'));
    expect(csv.stdout.split('\n')[0]).toBe('symbol,timeframe,rows,start,end,simulated');
    expect(csv.stdout).toMatch(/^AAPL,1h,\d+,\S+Z,\S+Z,true$/m);
  });

  it('says when nothing is stored', async () => {
    const empty = await tempDir();
    const run = await runKtrdr(['data', 'symbols', '--data-dir', empty.path]);
    expect(run.stdout).toContain('No data stored yet');
    await empty.remove();
  });
});

describe('interrupting a load in-process', () => {
  it('cancels the operation on Ctrl+C, keeps what was saved whole, and exits 130', async () => {
    const slow = await startSimulator({ latencyMs: 400 });
    const folder = await tempDir();
    const interrupt = new AbortController();
    const stderr = new Collector();
    const running = runKtrdr(
      ['data', 'load', 'SPY', '-t', '1h', '--start', daysAgo(200), '-f', 'json', '--data-dir', folder.path],
      {
        env: slow.env,
        interrupt: interrupt.signal,
        stderr,
      },
    );
    await stderr.waitFor(/\[fetch\]/);
    interrupt.abort();
    const run = await running;
    await slow.simulator.close();
    expect(run.code).toBe(EXIT_CODES.interrupted);
    expect(run.stderr).toMatch(/Cancelling op_data_load_\S+/);
    expect(run.stderr).toMatch(/Cancelled op_data_load_\S+: bars fetched so far were kept/);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    // Whatever was written is a whole CSV: the header and complete rows only.
    const files = await readdir(join(folder.path, 'simulated')).catch(() => [] as string[]);
    for (const file of files.filter((name) => name.endsWith('.csv'))) {
      const text = await readFile(join(folder.path, 'simulated', file), 'utf8');
      const lines = text.trimEnd().split('\n');
      expect(text.endsWith('\n')).toBe(true);
      expect(lines[0]).toBe(CSV_HEADER);
      for (const line of lines.slice(1)) expect(line.split(',')).toHaveLength(6);
    }
    await folder.remove();
  });
});
