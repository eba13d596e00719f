import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKtrdr, tempDir } from './support/run-ktrdr';

/**
 * `ktrdr backtest run|list|show` in-process, over the folders a short demo run fills (simulated
 * bars, a trained model), as a user would after `npm run demo`.
 */
let home: Awaited<ReturnType<typeof tempDir>>;
let folders: string[];
let model: string;
let start: string;

beforeAll(async () => {
  home = await tempDir();
  const demo = await runKtrdr(
    [
      'demo',
      '--dir',
      home.path,
      '--symbols',
      'AAPL',
      '--days',
      '90',
      '--epochs',
      '2',
      '-f',
      'json',
      '--no-progress',
    ],
    { env: { KTRDR_API_URL: '' } },
  );
  expect(demo.code).toBe(0);
  const body = JSON.parse(demo.stdout) as { model: { name: string }; backtest: { start_date: string } };
  model = body.model.name;
  start = body.backtest.start_date;
  folders = ['--data-dir', join(home.path, 'data'), '--models-dir', join(home.path, 'models')];
}, 120_000);

afterAll(async () => {
  await home.remove();
});

describe('ktrdr backtest', () => {
  it('run -f json answers the backtest in full: metrics, buy-and-hold, trades, equity, labelled simulated', async () => {
    const run = await runKtrdr(
      [
        'backtest',
        'run',
        model,
        'AAPL',
        '1h',
        '--start',
        start,
        '--commission',
        '0',
        '--metrics',
        'ktrdr',
        '-f',
        'json',
        '--no-progress',
        ...folders,
      ],
      { env: { KTRDR_API_URL: '' } },
    );
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as Record<string, unknown> & {
      backtest_id: string;
      metrics: Record<string, unknown>;
      buy_and_hold: Record<string, unknown>;
      trades: unknown[];
      equity: { equity: number[] };
    };
    expect(body).toMatchObject({
      model,
      symbol: 'AAPL',
      timeframe: '1h',
      simulated: true,
      metrics_mode: 'ktrdr',
    });
    expect(body.settings).toMatchObject({ commission: 0 });
    expect(body.metrics['periods_per_year']).toBe(252);
    expect(body.buy_and_hold['total_trades']).toBe(1);
    expect(body.trades).toHaveLength(Number(body.metrics['total_trades']));
    expect(body.equity.equity.at(-1)).toBeCloseTo(Number(body.metrics['final_equity']), 6);
    expect(existsSync(join(home.path, 'backtests', body.backtest_id, 'trades.csv'))).toBe(true);
  }, 60_000);

  it('run shows an equity chart and the metrics beside buy-and-hold; list and show find it again', async () => {
    const run = await runKtrdr(
      ['backtest', 'run', model, 'AAPL', '--start', start, '--no-progress', ...folders],
      {
        env: { KTRDR_API_URL: '' },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Equity {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^metric +strategy +buy & hold$/m);
    expect(run.stdout).toMatch(/^Sharpe +-?[\d.]+ +-?[\d.]+$/m);
    expect(run.stdout).toContain('── strategy   ╌╌ buy & hold');
    const id = /^ {2}backtest +(bt_\w+)$/m.exec(run.stdout)?.[1];
    expect(id).toBeDefined();

    const list = await runKtrdr(['backtest', 'list', '-f', 'json', ...folders], {
      env: { KTRDR_API_URL: '' },
    });
    const listed = JSON.parse(list.stdout) as { backtests: { backtest_id: string }[] };
    // The demo's, the json run's and this one, newest first.
    expect(listed.backtests).toHaveLength(3);
    expect(listed.backtests[0]!.backtest_id).toBe(id);

    const show = await runKtrdr(['backtest', 'show', id!, '--trades', '3', ...folders], {
      env: { KTRDR_API_URL: '' },
    });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Backtest ${id}  [SIMULATED]`);
    expect(show.stdout).toMatch(/trades {2}\[SIMULATED\]$/m);
  }, 60_000);

  it('refuses a run without --start and an id that is not one, with a clear message', async () => {
    const noStart = await runKtrdr(['backtest', 'run', model, 'AAPL', ...folders], {
      env: { KTRDR_API_URL: '' },
    });
    expect(noStart.code).toBe(2);
    expect(noStart.stderr).toContain('Give --start');
    const badId = await runKtrdr(['backtest', 'show', '../models', ...folders], {
      env: { KTRDR_API_URL: '' },
    });
    expect(badId.code).not.toBe(0);
    expect(badId.stderr).toContain('Invalid backtest id');
    const badFraction = await runKtrdr(
      ['backtest', 'run', model, 'AAPL', '--start', start, '--fraction', '3', '--no-progress', ...folders],
      { env: { KTRDR_API_URL: '' } },
    );
    expect(badFraction.code).not.toBe(0);
    expect(badFraction.stderr).toContain('position_fraction');
  }, 60_000);
});
