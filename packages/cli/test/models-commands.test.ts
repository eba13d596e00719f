import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@ktrdr/core';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { type RunningServer, startServer } from '@ktrdr/server';
import { sampleStrategyPath } from '@ktrdr/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

let simulator: IbSimulator;
let env: Record<string, string>;
let home: Awaited<ReturnType<typeof tempDir>>;
let folders: string[];
let modelName: string;

beforeAll(async () => {
  ({ simulator, env } = await startSimulator());
  home = await tempDir();
  folders = ['--data-dir', join(home.path, 'data'), '--models-dir', join(home.path, 'models')];
  const load = await runKtrdr(
    ['data', 'load', 'AAPL', '-t', '1h', '--start', daysAgo(150), '--no-progress', ...folders],
    { env },
  );
  expect(load.code).toBe(0);
}, 60_000);
afterAll(async () => {
  await simulator.close();
  await home.remove();
});

describe('models in-process', () => {
  it('trains the sample strategy, follows it, and shows the model with its curves', async () => {
    const run = await runKtrdr([
      'models',
      'train',
      sampleStrategyPath(),
      'AAPL',
      '1h',
      '--epochs',
      '4',
      '--seed',
      '3',
      '-f',
      'json',
      ...folders,
    ]);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as {
      operation: { status: string };
      model: { name: string; simulated: boolean; directory: string };
      simulated: boolean;
    };
    expect(body.operation.status).toBe('completed');
    expect(body.simulated).toBe(true);
    expect(body.model).toMatchObject({
      name: expect.stringMatching(/^neuro_fuzzy_sample\/AAPL_1h_v\d+$/),
      simulated: true,
    });
    expect(existsSync(join(body.model.directory, 'model.onnx'))).toBe(true);
    expect(run.stderr).toMatch(/^neuro_fuzzy_sample AAPL 1h: 100% \[Completed\] \d+\/4 epochs/m);
    modelName = body.model.name;
  }, 120_000);

  it('lists models with their test accuracy, labelled SIMULATED', async () => {
    const run = await runKtrdr(['models', 'list', ...folders]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${modelName} +\\* +\\d{4}-.* +\\d+\\.\\d% +SIMULATED$`, 'm'));
  });

  it('shows a model: facts, loss and accuracy curves per epoch', async () => {
    const run = await runKtrdr(['models', 'show', modelName, ...folders]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Model ${modelName} {2}\\[SIMULATED\\]$`, 'm'));
    expect(run.stdout).toMatch(/^ {2}test accuracy +\d+\.\d%$/m);
    expect(run.stdout).toMatch(/^ {2}ONNX file +\S+model\.onnx$/m);
    expect(run.stdout).toMatch(/^Loss per epoch · .* {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^Accuracy per epoch · .* {2}\[SIMULATED\]$/m);
    expect(run.stdout).toContain('── training');
    expect(run.stdout).toContain('╌╌ validation');
    const json = JSON.parse(
      (await runKtrdr(['models', 'show', modelName, '-f', 'json', ...folders])).stdout,
    ) as { metrics: { history: unknown[] } };
    expect(json.metrics.history.length).toBeGreaterThan(0);
  });

  it('predicts on the latest bars with probabilities', async () => {
    const run = await runKtrdr(['models', 'predict', modelName, 'AAPL', '-r', '3', '-f', 'json', ...folders]);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as {
      simulated: boolean;
      runtime: string;
      predictions: { signal: string; probabilities: Record<string, number> }[];
    };
    expect(body).toMatchObject({ simulated: true, runtime: 'onnx' });
    expect(body.predictions).toHaveLength(3);
    for (const p of body.predictions) {
      expect(['BUY', 'HOLD', 'SELL']).toContain(p.signal);
      expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    const table = await runKtrdr(['models', 'predict', modelName, 'AAPL', '-r', '2', ...folders]);
    expect(table.stdout).toMatch(/^bar \(UTC\) +signal +P\(BUY\) +P\(HOLD\) +P\(SELL\)$/m);
  });

  it('reports a missing model, strategy or data as not found, a malformed name as usage', async () => {
    expect((await runKtrdr(['models', 'show', 'nope/AAPL_1h', ...folders])).code).toBe(EXIT_CODES.notFound);
    expect((await runKtrdr(['models', 'train', 'missing/strategy.yaml', ...folders])).code).toBe(
      EXIT_CODES.notFound,
    );
    const noData = await runKtrdr(['models', 'predict', modelName, 'MSFT', ...folders]);
    expect(noData.code).toBe(EXIT_CODES.notFound);
    expect(noData.stderr).toMatch(/^ktrdr: No 1h data stored for MSFT/);
    const bad = await runKtrdr(['models', 'show', 'just-a-name', ...folders]);
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toMatch(/Invalid model name 'just-a-name': use strategy\/SYMBOL_tf_vN/);
  });

  it('rejects an invalid strategy before any operation starts', async () => {
    const file = join(home.path, 'broken.yaml');
    await writeFile(file, 'name: broken\nindicators: 12\n');
    const run = await runKtrdr(['models', 'train', file, 'AAPL', '1h', ...folders]);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    // The problem names the file given on the command line, not `strategy.yaml` (issue #12).
    expect(run.stderr).toContain(`${file}:2:`);
  });
});

describe('models over --url', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const config = loadConfig(
      {
        ib: { host: simulator.host, port: simulator.port },
        dataDir: join(home.path, 'data'),
        modelsDir: join(home.path, 'models'),
      },
      {},
    );
    server = await startServer({ kind: 'api', port: 0, config, env: {} });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists, shows and predicts through the API', async () => {
    const list = JSON.parse(
      (await runKtrdr(['models', 'list', '-f', 'json', '--url', server.url])).stdout,
    ) as { name: string }[];
    expect(list.map((m) => m.name)).toContain(modelName);
    const show = await runKtrdr(['models', 'show', modelName, '--url', server.url]);
    expect(show.stdout).toMatch(/^Loss per epoch/m);
    const predict = await runKtrdr([
      'models',
      'predict',
      modelName,
      'AAPL',
      '-r',
      '2',
      '-f',
      'json',
      '--url',
      server.url,
    ]);
    expect(JSON.parse(predict.stdout)).toMatchObject({ simulated: true });
  });

  it('trains by strategy name on the server', async () => {
    const run = await runKtrdr([
      'models',
      'train',
      'neuro-fuzzy-sample',
      'AAPL',
      '1h',
      '--epochs',
      '2',
      '--no-progress',
      '-f',
      'json',
      '--url',
      server.url,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ operation: { status: 'completed' }, simulated: true });
  }, 120_000);
});
