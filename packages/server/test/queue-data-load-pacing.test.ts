import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApiQueue } from '@ktrdr/client/services';
import { createIbDataSource } from '@ktrdr/data';
import { startIbSimulator } from '@ktrdr/ib-sim';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';
import { startServer } from '../src/index';
import { Resources, eventually } from './support/harness';
import { spawnCli } from './support/spawn-bin';

let redis: TestRedis;
const resources = new Resources();
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(() => resources.closeAll());
afterAll(() => redis?.close());

// The gateway's 10-minute window passes in 20 s; the IB host's scheduler is told so.
const TIME_SCALE = 30;
const SYMBOLS = ['AAPL', 'MSFT', 'SPY'];

describe('data-load jobs on 3 ktrdr worker processes, one IB gateway', () => {
  it(
    'make no pacing violation: every worker reaches IB through the one IB host service',
    { timeout: 240_000 },
    async () => {
      // Every IB rule on every bar size, so the loads' hourly requests are paced as IB paces small bars.
      const sim = resources.add(
        await startIbSimulator({
          port: 0,
          seed: 3,
          now: () => new Date('2024-06-28T21:00:00Z'),
          pacing: 'strict',
          durationLimits: 'practical',
          timeScale: TIME_SCALE,
        }),
        (s) => s.close(),
      );
      const source = createIbDataSource({
        host: sim.host,
        port: sim.port,
        clientId: 61,
        requestTimeoutMs: 30_000,
        pacing: { timeScale: TIME_SCALE },
      });
      const host = resources.add(await startServer({ kind: 'ib-host', port: 0, source, env: {} }), (h) =>
        h.close(),
      );
      const queue = resources.add(await openApiQueue({ redisUrl: redis.url, followPollMs: 500 }), (q) =>
        q.close(),
      );

      // Three workers on (as good as) three machines: each its own data folder, so no shared ledger.
      for (let i = 0; i < 3; i += 1) {
        spawnCli(resources, ['worker', '--redis', redis.url, '--queue', 'data-load'], {
          KTRDR_DATA_DIR: await resources.tempDir(),
          USE_IB_HOST_SERVICE: 'true',
          IB_HOST_SERVICE_URL: host.url,
          // The hard rules on hourly bars too (the practical policy paces only bars of 30 s or less).
          KTRDR_IB_PACING: 'strict',
        });
      }
      await eventually(
        async () => ((await queue.operations.workers()).length === 3 ? true : undefined),
        120_000,
      );

      // Two years of hourly bars per symbol: about 24 requests each, over 60 together.
      const started = await Promise.all(
        SYMBOLS.map((symbol) =>
          queue.operations.enqueue('data-load', {
            symbol,
            timeframe: '1h',
            mode: 'full',
            start_date: '2022-06-01T00:00:00Z',
            end_date: '2024-06-01T00:00:00Z',
            pacing: 'strict',
          }),
        ),
      );
      const finals = await Promise.all(started.map((info) => queue.operations.follow(info.operation_id)));
      for (const final of finals) {
        expect(final, JSON.stringify(final)).toMatchObject({
          status: 'completed',
          result_summary: { simulated: true, failed_segments: [] },
        });
      }
      expect(new Set(finals.map((final) => final.metadata['worker'])).size).toBe(3);
      // More requests than IB allows in one 10-minute window, and not one violation. (The same
      // workers each talking to the gateway directly, each pacing alone, made 4 violations in 79
      // requests here: the one IB host service is what paces them together.)
      expect(sim.stats.requestsByKind['historical-data']).toBeGreaterThan(60);
      expect(sim.stats.pacingViolations).toBe(0);
    },
  );
});
