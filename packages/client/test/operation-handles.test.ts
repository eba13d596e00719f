import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type KtrdrClient, createKtrdrClient } from '@ktrdr/client';
import { createApiServices, createDataServices } from '@ktrdr/client/services';
import { CancelledError, type KtrdrConfig, loadConfig } from '@ktrdr/core';
import { startIbSimulator } from '@ktrdr/ib-sim';
import { startServer } from '@ktrdr/server';
import { randomWalkFrame } from '../../server/test/support/random-walk';
import { type FollowReport, type OperationIds, followOperations } from './fixtures/follow-operations';
import { SecondProcess } from './support/second-process';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** A data folder with bars to train on, and a configuration pointing at a slow simulator. */
async function setUp(): Promise<KtrdrConfig> {
  // Latency makes loads last long enough to re-attach to, follow and cancel.
  const simulator = await startIbSimulator({ port: 0, latencyMs: 150 });
  cleanups.push(() => simulator.close());
  const root = await mkdtemp(join(tmpdir(), 'ktrdr-client-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const config = loadConfig(
    {
      dataDir: join(root, 'data'),
      modelsDir: join(root, 'models'),
      ib: { host: simulator.host, port: simulator.port },
    },
    {},
  );
  const { data } = createDataServices({ config, env: {} });
  await data.store.save('AAPL', '1h', randomWalkFrame(1200), { simulated: true });
  await data.close();
  return config;
}

/** Where operations run, the client that starts them, and the second client that re-attaches. */
interface Deployment {
  starter: KtrdrClient;
  /** Builds the second client; resolves with its mode once it is ready. */
  ready(): Promise<string>;
  follow(ids: OperationIds): Promise<FollowReport>;
}

const deployments: Record<'embedded' | 'remote', (config: KtrdrConfig) => Promise<Deployment>> = {
  // Embedded operations live in one process: "another process" is a second client over the same services.
  async embedded(config) {
    const services = createApiServices({ config, env: {} });
    cleanups.push(() => services.close());
    const starter = await createKtrdrClient({ mode: 'embedded', services });
    cleanups.push(() => starter.close());
    let second: KtrdrClient | undefined;
    return {
      starter,
      async ready() {
        second = await createKtrdrClient({ mode: 'embedded', services });
        cleanups.push(() => second?.close());
        return second.mode;
      },
      follow: (ids) => followOperations(second as KtrdrClient, ids),
    };
  },
  // The API in this process; the second client in a real second process, knowing only the ids.
  async remote(config) {
    const api = await startServer({ kind: 'api', port: 0, config, env: {} });
    cleanups.push(() => api.close());
    const starter = await createKtrdrClient({ apiUrl: api.url, env: {} });
    cleanups.push(() => starter.close());
    const second = new SecondProcess({ KTRDR_API_URL: api.url });
    cleanups.push(() => second.kill());
    return { starter, ready: () => second.ready(), follow: (ids) => second.follow(ids) };
  },
};

describe.each(['embedded', 'remote'] as const)('operation handles, %s', (mode) => {
  it('a second client re-attaches by id, follows a load and a training to the end, and cancels a third', async () => {
    const deployment = await deployments[mode](await setUp());
    const { starter } = deployment;
    expect(starter.mode).toBe(mode);
    // The second client is up before the operations start, so it attaches while they run.
    expect(await deployment.ready()).toBe(mode);

    const load = await starter.data.load({ symbol: 'MSFT', timeframe: '1h', start_date: daysAgo(20) });
    const training = await starter.training.start({
      strategy_name: 'neuro-fuzzy-sample',
      symbol: 'AAPL',
      timeframe: '1h',
      epochs: 3,
      seed: 1,
    });
    const slow = await starter.data.load({ symbol: 'GOOGL', timeframe: '1m', start_date: daysAgo(60) });
    expect(load.id).toMatch(/^op_data_load_/);
    expect(training.id).toMatch(/^op_training_/);

    const report = await deployment.follow({ load: load.id, training: training.id, cancel: slow.id });

    // Followed to the end: progress seen, ending at 100%, and the typed summary of each kind.
    for (const followed of [report.load, report.training]) {
      expect(followed.percentages.length).toBeGreaterThan(0);
      expect(followed.percentages.at(-1)).toBe(100);
    }
    expect(report.load.summary).toMatchObject({ symbol: 'MSFT', timeframe: '1h', simulated: true });
    expect(report.training.summary).toMatchObject({ strategy: 'neuro_fuzzy_sample', symbol: 'AAPL' });
    expect(report.training.summary['model']).toMatch(/^neuro_fuzzy_sample\/AAPL_1h_v\d+$/);
    // The cancel reached the operation, and it ended with the same error class on both sides.
    expect(report.cancelled).toEqual({ status: 'cancelled', cancelledError: true, code: 'cancelled' });

    // The starter's own handles agree with what the second client saw.
    const loaded = await load.result();
    expect(loaded.bars).toBe(report.load.summary['bars']);
    expect(loaded.bars).toBeGreaterThan(0);
    const { model } = await training.result();
    expect(model).toBe(report.training.summary['model']);
    // The other training routes load the training stack on first use, in either mode.
    const [strategy, name] = String(model).split('/') as [string, string];
    expect((await starter.training.model({ strategy, model: name })).data).toMatchObject({ strategy });
    await expect(slow.result()).rejects.toBeInstanceOf(CancelledError);
    expect((await slow.status()).status).toBe('cancelled');
  });

  it('an unknown id fails where the handle is used, with the same NotFoundError', async () => {
    const deployment = await deployments[mode](await setUp());
    const handle = deployment.starter.operations.handle('op_data_load_20200101_000000_0badc0de');
    await expect(handle.status()).rejects.toMatchObject({ code: 'not_found' });
    await expect(handle.result()).rejects.toMatchObject({ code: 'not_found' });
    await expect(handle.cancel()).rejects.toMatchObject({ code: 'not_found' });
  });
});
