import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SIMULATED_MARKER_FILE } from '@ktrdr/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKtrdr, tempDir } from './support/run-ktrdr';

let home: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  home = await tempDir();
});
afterAll(async () => {
  await home.remove();
});

describe('ktrdr demo', () => {
  it('loads, trains, exports ONNX and predicts on the simulator, and says so at every step', async () => {
    // The environment points at nothing: the demo must not need a gateway, a server or a setting.
    const run = await runKtrdr(
      [
        'demo',
        '--dir',
        home.path,
        '--symbols',
        'AAPL,MSFT',
        '--days',
        '90',
        '--epochs',
        '3',
        '--no-progress',
      ],
      {
        env: { IB_PORT: '9', USE_IB_HOST_SERVICE: 'true', KTRDR_API_URL: '' },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ktrdr demo · .*SIMULATED data\.$/m);
    for (const step of [
      '1/5  IB Gateway simulator listening on 127.0.0.1:',
      '2/5  Loading 90 days of 1h bars for AAPL, MSFT',
      '3/5  Training the sample strategy',
      '4/5  Predicting',
      '5/5  Backtesting neuro_fuzzy_sample/AAPL_1h_v1 on AAPL 1h from',
    ]) {
      expect(run.stdout).toContain(step);
    }
    expect(run.stdout).toMatch(/^Data loaded through the SDK .* {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^AAPL +1h +[\d,]+ /m);
    expect(run.stdout).toMatch(/^Loss per epoch .* {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^Signals of .* on the latest MSFT bars \(onnx\) {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^Metrics \(standard mode, 1,764 bars a year\) {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^metric +strategy +buy & hold$/m);
    expect(run.stdout).toMatch(/^Equity {2}\[SIMULATED\]$/m);
    expect(run.stdout).toContain('SIMULATED data: synthetic bars');
    const simulatedDir = join(home.path, 'data', 'simulated');
    expect(existsSync(join(simulatedDir, 'AAPL_1h.csv'))).toBe(true);
    expect(await readFile(join(simulatedDir, SIMULATED_MARKER_FILE), 'utf8')).toContain('SIMULATED');
    expect(existsSync(join(home.path, 'models', 'neuro_fuzzy_sample', 'AAPL_1h_v1', 'model.onnx'))).toBe(
      true,
    );
  }, 120_000);

  it('answers one json document for scripts, reusing the data it already has', async () => {
    const run = await runKtrdr([
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
    ]);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as Record<string, unknown> & {
      loads: { bars: number; added_bars: number }[];
      predictions: unknown[];
      onnx_file: string;
    };
    expect(body).toMatchObject({ simulated: true, model: { simulated: true } });
    // Only bars newer than the first run's (an hour boundary may have passed) are fetched again.
    expect(body.loads[0]?.added_bars).toBeLessThanOrEqual(2);
    expect(body.loads[0]?.bars).toBeGreaterThan(100);
    expect(body.predictions).toHaveLength(1);
    // The backtest trades the bars the model was not trained on: no in-sample warning.
    expect(body).toMatchObject({ backtest: { simulated: true, symbol: 'AAPL', warnings: [] } });
    expect(existsSync(body.onnx_file)).toBe(true);
  }, 120_000);
});
