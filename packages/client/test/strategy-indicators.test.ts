import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKtrdrClient } from '@ktrdr/client';
import { createDataServices } from '@ktrdr/client/services';
import { type KtrdrConfig, NotFoundError, ValidationError, loadConfig } from '@ktrdr/core';
import { startServer } from '@ktrdr/server';
import { computeIndicator, loadStrategyFile, sampleStrategyPath } from '@ktrdr/training';
import { randomWalkFrame } from '../../server/test/support/random-walk';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const bars = randomWalkFrame(1300);

/** A data folder holding 1,300 simulated hourly AAPL bars; IB is never asked. */
async function setUp(): Promise<KtrdrConfig> {
  const root = await mkdtemp(join(tmpdir(), 'ktrdr-client-indicators-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const config = loadConfig({ dataDir: join(root, 'data'), modelsDir: join(root, 'models') }, {});
  const { data } = createDataServices({ config, env: {} });
  await data.store.save('AAPL', '1h', bars, { simulated: true });
  await data.close();
  return config;
}

const clients = {
  embedded: (config: KtrdrConfig) => createKtrdrClient({ mode: 'embedded', config, env: {} }),
  async remote(config: KtrdrConfig) {
    const api = await startServer({ kind: 'api', port: 0, config, env: {} });
    cleanups.push(() => api.close());
    return createKtrdrClient({ apiUrl: api.url, env: {} });
  },
};

describe.each(['embedded', 'remote'] as const)('client.training.indicators, %s', (mode) => {
  it("answers a bundled strategy's indicators over the last bars, computed past their warm-up", async () => {
    const client = await clients[mode](await setUp());
    cleanups.push(() => client.close());
    const answer = await client.training.indicators({
      symbol: 'aapl',
      timeframe: '1h',
      strategy: 'neuro-fuzzy-sample',
      limit: 300,
    });
    const strategy = await loadStrategyFile(sampleStrategyPath());
    expect(answer.data).toMatchObject({
      strategy: strategy.name,
      symbol: 'AAPL',
      simulated: true,
      rows: 300,
    });
    expect(answer.data.columns['time']).toEqual(Array.from(bars.columns().time.subarray(1000)));
    const rsi = strategy.indicators.find((indicator) => indicator.key === 'rsi');
    expect(rsi).toBeDefined();
    const expected = computeIndicator(rsi!.indicator, bars.columns(), rsi!.params)['value']!;
    expect(answer.data.columns['rsi.value']).toEqual(Array.from(expected.subarray(1000)));
    expect(answer.data.outputs.find((output) => output.column === 'rsi.value')?.overlay).toBe(false);

    await expect(
      client.training.indicators({ symbol: 'AAPL', timeframe: '1h', strategy: 'nosuch' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      client.training.indicators({ symbol: 'AAPL', timeframe: '1h', strategy: '../etc/passwd' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
