import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@ktrdr/core';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { startServer } from '@ktrdr/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

/**
 * A strategy with keys Python KTRDR only warns about: `ktrdr models train` says so on stderr, one
 * `warning: ...` line each, trains all the same, and `models show` lists them with the model.
 */
let simulator: IbSimulator;
let env: Record<string, string>;
let home: Awaited<ReturnType<typeof tempDir>>;
let folders: string[];
let strategyFile: string;

const STRATEGY = `name: cli_warned
description: Small strategy with keys Python KTRDR only warns about
version: '2.0'
data:
  symbols: [AAPL]
  timeframes: [1h]
indicators:
  - name: rsi
    period: 7
fuzzy_sets:
  rsi:
    low: [0, 0, 50]
    high: [50, 100, 100]
model:
  type: mlp
  input_size: 42
  architecture: { hidden_layers: [4], activation: relu, dropout: 0 }
  features: { lookback_periods: 1, scale_features: true, include_price_context: true }
  training: { learning_rate: 0.01, batch_size: 16, epochs: 2, optimizer: adam }
training:
  labels: { source: zigzag, zigzag_threshold: 0.01, label_lookahead: 24 }
  data_split: { train: 0.7, validation: 0.15, test: 0.15 }
risk_managment:
  risk_per_trade: 0.02
`;

const WARNINGS = [
  /^warning: model\.input_size \(line 16\): old model format \(as Python KTRDR warns\): ignored, the input size follows from the features$/m,
  /^warning: model\.features\.include_price_context \(line 18\): is not applied: the model reads fuzzy memberships only$/m,
  /^warning: risk_managment \(line 23\): unknown section, ignored; did you mean "risk_management"\?$/m,
];

beforeAll(async () => {
  ({ simulator, env } = await startSimulator());
  home = await tempDir();
  folders = ['--data-dir', join(home.path, 'data'), '--models-dir', join(home.path, 'models')];
  strategyFile = join(home.path, 'cli_warned.yaml');
  await writeFile(strategyFile, STRATEGY);
}, 60_000);
afterAll(async () => {
  await simulator.close();
  await home.remove();
});

describe('models train with a strategy that has warnings', () => {
  it('prints each warning on stderr and still trains', async () => {
    const run = await runKtrdr(
      [
        'models',
        'train',
        strategyFile,
        '--start-date',
        daysAgo(60),
        '--load-missing',
        '--no-progress',
        ...folders,
      ],
      { env },
    );
    expect(run.stderr).not.toMatch(/^ktrdr: /m);
    expect(run.code).toBe(0);
    for (const warning of WARNINGS) expect(run.stderr).toMatch(warning);
    expect(run.stderr.match(/^warning: /gm)).toHaveLength(3);
    // Nothing of them on stdout: the model's view is the answer.
    expect(run.stdout).not.toMatch(/^warning: /m);
    expect(run.stdout).toMatch(/^Trained cli_warned\/AAPL_1h_v1 in /m);
  }, 120_000);

  it('lists them in models show', async () => {
    const run = await runKtrdr(['models', 'show', 'cli_warned/AAPL_1h', ...folders]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}warning +model\.input_size \(line 16\): old model format/m);
    expect(run.stdout).toMatch(/^ {2}warning +model\.features\.include_price_context \(line 18\)/m);
    expect(run.stdout).toMatch(/^ {2}warning +risk_managment \(line 23\): unknown section/m);
  });

  it('prints them over --url too, from the operation the API started', async () => {
    const config = loadConfig(
      {
        ib: { host: simulator.host, port: simulator.port },
        dataDir: join(home.path, 'data'),
        modelsDir: join(home.path, 'models'),
      },
      {},
    );
    const server = await startServer({ kind: 'api', port: 0, config, env: {} });
    try {
      const run = await runKtrdr([
        'models',
        'train',
        strategyFile,
        '--no-progress',
        '-f',
        'json',
        '--url',
        server.url,
      ]);
      expect(run.code).toBe(0);
      for (const warning of WARNINGS) expect(run.stderr).toMatch(warning);
      const body = JSON.parse(run.stdout) as { model: { name: string; metadata: { warnings: string[] } } };
      expect(body.model.name).toBe('cli_warned/AAPL_1h_v2');
      expect(body.model.metadata.warnings).toHaveLength(3);
    } finally {
      await server.close();
    }
  }, 120_000);
});
