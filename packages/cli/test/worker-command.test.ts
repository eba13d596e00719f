import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueOperations } from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';
import { Collector, runKtrdr, tempDir } from './support/run-ktrdr';

let redis: TestRedis;
let data: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  redis = await startTestRedis();
  data = await tempDir();
});
afterAll(async () => {
  await redis?.close();
  await data?.remove();
});

describe('ktrdr worker and ktrdr workers', () => {
  it('refuse to start without Redis, naming both ways to give it', async () => {
    for (const command of ['worker', 'workers']) {
      const run = await runKtrdr([command]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('KTRDR_REDIS_URL');
      expect(run.stderr).toContain('--redis');
    }
  });

  it('refuses an unknown queue', async () => {
    const run = await runKtrdr(['worker', '--redis', redis.url, '--queue', 'training,backtests']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown queue backtests: use training, data-load, backtest');
  });

  it('refuses --fetch-bars without --api and a bad --lock-duration', async () => {
    const noApi = await runKtrdr(['worker', '--redis', redis.url, '--fetch-bars']);
    expect(noApi.code).toBe(2);
    expect(noApi.stderr).toContain('--fetch-bars needs --api');
    const badLock = await runKtrdr(['worker', '--redis', redis.url, '--lock-duration', 'soon']);
    expect(badLock.code).toBe(2);
    expect(badLock.stderr).toContain('--lock-duration');
  });

  it('runs until interrupted, visible to ktrdr workers meanwhile, then exits 0', async () => {
    const interrupt = new AbortController();
    const stdout = new Collector();
    const worker = runKtrdr(
      ['worker', '--queue', 'data-load', '--concurrency', '2', '--data-dir', data.path],
      { env: { KTRDR_REDIS_URL: redis.url }, interrupt: interrupt.signal, stdout },
    );
    const ops = await QueueOperations.open({ url: redis.url });
    try {
      while ((await ops.workers()).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const listed = await runKtrdr(['workers', '--redis', redis.url, '--format', 'json']);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({
          id: stdout.text.trim(),
          queues: ['data-load'],
          concurrency: 2,
          current_jobs: [],
        }),
      ]);
    } finally {
      interrupt.abort();
      expect((await worker).code).toBe(0);
      // It said goodbye: no heartbeat left behind.
      expect(await ops.workers()).toEqual([]);
      await ops.close();
    }
  });

  it('ktrdr serve api --redis enqueues loads instead of running them', async () => {
    const interrupt = new AbortController();
    const stdout = new Collector();
    const served = runKtrdr(['serve', 'api', '--port', '0', '--redis', redis.url, '--data-dir', data.path], {
      interrupt: interrupt.signal,
      stdout,
    });
    try {
      while (!stdout.text.includes('http')) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = stdout.text.trim();
      const started = await fetch(`${url}/data/load`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ symbol: 'AAPL', timeframe: '1h' }),
      });
      const body = (await started.json()) as { data: { status: string; metadata: Record<string, unknown> } };
      // Pending on the data-load queue: no worker runs here, and the API ran nothing itself.
      expect(body.data).toMatchObject({
        status: 'pending',
        metadata: { queue: 'data-load', symbol: 'AAPL' },
      });
    } finally {
      interrupt.abort();
      expect((await served).code).toBe(0);
    }
  });
});
