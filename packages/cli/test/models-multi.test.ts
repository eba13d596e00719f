import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

/**
 * `ktrdr models` with multi-timeframe and multi-symbol strategies on simulator data: nothing is
 * stored up front, `--load-missing` loads every series the training and the predictions need.
 */
let simulator: IbSimulator;
let env: Record<string, string>;
let home: Awaited<ReturnType<typeof tempDir>>;
let folders: string[];
let strategyFile: string;

/** A small strategy declaring two symbols and two timeframes. */
const STRATEGY = `name: cli_multi
description: Small multi-symbol, multi-timeframe strategy for the CLI tests
version: '1.0'
data:
  symbols: [AAPL, MSFT]
  timeframes: [1h, 4h]
indicators:
  - name: rsi
    period: 7
fuzzy_sets:
  rsi:
    low: [0, 0, 50]
    high: [50, 100, 100]
model:
  type: mlp
  architecture: { hidden_layers: [4], activation: relu, dropout: 0 }
  features: { lookback_periods: 1, scale_features: true }
  training: { learning_rate: 0.01, batch_size: 16, epochs: 2, optimizer: adam }
training:
  labels: { source: zigzag, zigzag_threshold: 0.01, label_lookahead: 24 }
  data_split: { train: 0.7, validation: 0.15, test: 0.15 }
`;

beforeAll(async () => {
  ({ simulator, env } = await startSimulator());
  home = await tempDir();
  folders = ['--data-dir', join(home.path, 'data'), '--models-dir', join(home.path, 'models')];
  strategyFile = join(home.path, 'cli_multi.yaml');
  await writeFile(strategyFile, STRATEGY);
}, 60_000);
afterAll(async () => {
  await simulator.close();
  await home.remove();
});

interface TrainJson {
  operation: { status: string; result_summary: Record<string, unknown> };
  model: { name: string; metadata: Record<string, unknown>; metrics: Record<string, unknown> };
}

async function train(extra: string[]): Promise<TrainJson> {
  const run = await runKtrdr(
    [
      'models',
      'train',
      strategyFile,
      ...extra,
      '--start-date',
      daysAgo(60),
      '--load-missing',
      '--no-progress',
      '-f',
      'json',
      ...folders,
    ],
    { env },
  );
  expect(run.stderr).not.toMatch(/^ktrdr: /m);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as TrainJson;
}

describe('models with several timeframes and symbols', () => {
  it('trains what the strategy declares when no symbol or timeframe is given', async () => {
    const body = await train([]);
    expect(body.operation.status).toBe('completed');
    expect(body.model.name).toBe('cli_multi/AAPL-MSFT_1h-4h_v1');
    expect(body.model.metadata).toMatchObject({
      symbols: ['AAPL', 'MSFT'],
      timeframes: ['1h', '4h'],
      base_timeframe: '1h',
      simulated: true,
    });
    expect(body.operation.result_summary['loaded']).toEqual(['AAPL 1h', 'AAPL 4h', 'MSFT 1h', 'MSFT 4h']);
    expect(Object.keys(body.model.metrics['test_by_symbol'] as object)).toEqual(['AAPL', 'MSFT']);
  }, 120_000);

  it('shows the symbols and timeframes a model was trained on, and its per-symbol metrics', async () => {
    const run = await runKtrdr(['models', 'show', 'cli_multi/AAPL-MSFT_1h-4h', ...folders]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}symbols +AAPL, MSFT$/m);
    expect(run.stdout).toMatch(/^ {2}timeframes +1h \(base\), 4h$/m);
    expect(run.stdout).toMatch(/^Test metrics per symbol · cli_multi\/AAPL-MSFT_1h-4h_v1/m);
    expect(run.stdout).toMatch(/^MSFT +\d+\.\d% /m);
  });

  it('lets -s and -t override the strategy', async () => {
    const body = await train(['-s', 'MSFT', '-t', '1h']);
    expect(body.model.name).toBe('cli_multi/MSFT_1h_v1');
    expect(body.model.metadata).toMatchObject({ symbols: ['MSFT'], timeframes: ['1h'] });
  }, 120_000);

  it('predicts with every timeframe the model reads, loading a missing symbol first when asked', async () => {
    const model = 'cli_multi/AAPL-MSFT_1h-4h';
    const missing = await runKtrdr(['models', 'predict', model, 'SPY', ...folders], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/No 1h data stored for SPY/);
    const run = await runKtrdr(
      ['models', 'predict', model, 'SPY', '-r', '2', '--load-missing', '-f', 'json', ...folders],
      { env },
    );
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { timeframes: string[]; loaded: string[]; predictions: unknown[] };
    expect(body).toMatchObject({ timeframes: ['1h', '4h'], loaded: ['SPY 1h', 'SPY 4h'] });
    expect(body.predictions).toHaveLength(2);
    expect(run.stderr).toMatch(/^Loaded SPY 1h first\.$/m);
  }, 120_000);
});
