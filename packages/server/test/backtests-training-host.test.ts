import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationRegistry, UnauthorizedError, loadConfig } from '@ktrdr/core';
import { createBacktestService } from '@ktrdr/client/services';
import { AsyncDataAdapter, DataService } from '@ktrdr/data';
import { TrainingService, sampleStrategyPath } from '@ktrdr/training';
import { startServer } from '../src/index';
import { createFakeSource } from './support/fake-source';
import { Resources, fetchJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';

/**
 * A split deployment: the training host keeps the bars and the models; the API's backtests run on
 * the host (`USE_TRAINING_HOST_SERVICE=true` with the deployment's token), next to the models.
 */
const resources = new Resources();
const from = Date.UTC(2023, 0, 2, 14);
const at = (i: number) => new Date(from + i * 3_600_000).toISOString();
let hostUrl: string;
let hostRoot: string;
let model: string;

beforeAll(async () => {
  hostRoot = await resources.tempDir();
  const hostData = resources.add(
    new DataService({
      config: loadConfig(
        { dataDir: path.join(hostRoot, 'data'), modelsDir: path.join(hostRoot, 'models') },
        {},
      ),
    }),
    (d) => d.close(),
  );
  await hostData.store.save('AAPL', '1h', randomWalkFrame(2000, 9, from), { simulated: true });
  const training = new TrainingService({ data: hostData, maxConcurrentSessions: 1 });
  try {
    const trained = await training.startTraining({
      strategyPath: sampleStrategyPath(),
      symbol: 'AAPL',
      timeframe: '1h',
      endDate: at(1300),
      epochs: 2,
      seed: 2,
    });
    model = (await trained.result()).model!;
  } finally {
    await training.close();
  }
  const host = resources.add(
    await startServer({ kind: 'training-host', port: 0, data: hostData, token: 'secret', env: {} }),
    (h) => h.close(),
  );
  hostUrl = host.url;
}, 120_000);

afterAll(() => resources.closeAll());

/** The API side: its own empty folders, pointed at the host. */
async function apiSide(token: string) {
  const root = await resources.tempDir();
  const config = loadConfig(
    {
      dataDir: path.join(root, 'data'),
      modelsDir: path.join(root, 'models'),
      training: { useHostService: true, hostServiceUrl: hostUrl },
    },
    {},
  );
  const operations = new OperationRegistry();
  const data = resources.add(
    new DataService({
      config,
      operations,
      adapter: new AsyncDataAdapter({ kind: 'in-process', source: createFakeSource() }),
    }),
    (d) => d.close(),
  );
  return resources.add(createBacktestService(data, operations, { hostServiceToken: token, env: {} }), (b) =>
    b.close(),
  );
}

describe('backtests on the training host', () => {
  it('runs where the models and bars are, and stores the result beside the host models', async () => {
    const backtests = await apiSide('secret');
    expect((await backtests.healthCheck()).mode).toBe('http');
    const handle = await backtests.startBacktest({ model, symbol: 'AAPL', start_date: at(1400) });
    const summary = await handle.result();
    expect(summary).toMatchObject({ model, simulated: true, bars: 600 });
    expect(handle.describe().progress.percentage).toBe(100);
    expect(existsSync(path.join(hostRoot, 'backtests', summary.backtest_id, 'metrics.json'))).toBe(true);
    expect((await backtests.listBacktests()).backtests.map((b) => b.backtest_id)).toContain(
      summary.backtest_id,
    );
    const doc = await fetchJson(`${hostUrl}/openapi.json`, { headers: { authorization: 'Bearer secret' } });
    expect(Object.keys(doc.body['paths'] as object)).toContain('/backtests/run');
  });

  it('is refused without the deployment token', async () => {
    const backtests = await apiSide('wrong');
    await expect(backtests.listBacktests()).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
