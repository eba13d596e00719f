import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { createKtrdrClient, operationError } from '@ktrdr/client';
import { AsyncDataAdapter, DataService } from '@ktrdr/data';
import { openApiQueue } from '@ktrdr/client/services';
import { type ApiQueue, createClientJobRunner, startQueueWorker } from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from '../../queue/test/support/redis-server';
import { createApiRouter } from '../src/index';
import { createFakeSource } from './support/fake-source';
import { Resources, eventually, fetchJson, postJson } from './support/harness';
import { spawnSource } from './support/spawn-bin';

const LOAD = {
  symbol: 'AAPL',
  timeframe: '1h',
  mode: 'full',
  start_date: '2024-03-04T00:00:00Z',
  end_date: '2024-03-23T00:00:00Z',
};

let redis: TestRedis;
const resources = new Resources();
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(() => resources.closeAll());
afterAll(() => redis?.close());

/** A data service over a fake source with its store in `dataDir`: an API's, or a worker's. */
function dataService(dataDir: string, source = createFakeSource()) {
  const operations = new OperationRegistry();
  return resources.add(
    new DataService({
      config: loadConfig({ dataDir }, {}),
      adapter: new AsyncDataAdapter({ kind: 'in-process', source }),
      operations,
      manager: { retryBaseMs: 1 },
    }),
    (d) => d.close(),
  );
}

/** The API router over Redis at an ephemeral port; `queue` is closed with the test's resources. */
async function startQueuedApi(dataDir: string): Promise<{ url: string; queue: ApiQueue }> {
  const queue = resources.add(await openApiQueue({ redisUrl: redis.url, followPollMs: 200 }), (q) =>
    q.close(),
  );
  const app = express();
  app.use('/api/v1', createApiRouter({ data: dataService(dataDir), queue }));
  const { url } = await resources.listen(app);
  return { url: `${url}/api/v1`, queue };
}

/** A worker with its own services over the same store folder, run by the client job runner. */
async function startWorker(dataDir: string, source = createFakeSource()) {
  const data = dataService(dataDir, source);
  const client = resources.add(
    await createKtrdrClient({
      mode: 'embedded',
      config: data.config,
      services: { data, operations: data.operations },
    }),
    (c) => c.close(),
  );
  return resources.add(
    await startQueueWorker({
      url: redis.url,
      queues: ['data-load'],
      runner: createClientJobRunner(client, operationError),
    }),
    (w) => w.close(true),
  );
}

describe('the API over Redis (KTRDR_REDIS_URL)', () => {
  it('enqueues a load that a worker runs; status, SSE, /workers and /health read Redis', async () => {
    const dataDir = await resources.tempDir();
    const { url } = await startQueuedApi(dataDir);
    const worker = await startWorker(dataDir);

    const started = await postJson(`${url}/data/load`, LOAD);
    expect(started.status).toBe(200);
    const id = started.body['operation_id'] as string;
    expect(id).toMatch(/^op_data_load_\d{8}_\d{6}_[0-9a-f]{8}$/);
    const events = await (await fetch(`${url}/operations/${id}/events`)).text();
    expect(events).toMatch(/^id: 0\nevent: snapshot\n/);
    expect(events).toContain('event: end');

    const final = await fetchJson(`${url}/operations/${id}`);
    expect(final.body['data']).toMatchObject({
      operation_id: id,
      operation_type: 'data_load',
      status: 'completed',
      metadata: { symbol: 'AAPL', timeframe: '1h', mode: 'full', queue: 'data-load' },
      progress: { percentage: 100 },
    });
    const summary = (final.body['data'] as { result_summary: Record<string, unknown> }).result_summary;
    expect(summary['bars']).toEqual(expect.any(Number));
    expect(summary['bars']).toBeGreaterThan(0);

    const workers = await fetchJson(`${url}/workers`);
    expect(workers.body['data']).toEqual([
      expect.objectContaining({ id: worker.id, queues: ['data-load'], current_jobs: [] }),
    ]);
    const health = await fetchJson(`${url}/health`);
    expect(health.body['queues']).toMatchObject({
      'data-load': { completed: expect.any(Number) },
      training: {},
    });
  });

  it('rejects bad input with 400 before enqueueing, and fails what only the worker can check', async () => {
    const dataDir = await resources.tempDir();
    const { url, queue } = await startQueuedApi(dataDir);
    await startWorker(dataDir);
    const bad = await postJson(`${url}/data/load`, { ...LOAD, mode: 'sideways' });
    expect(bad.status).toBe(400);

    const unknown = await postJson(`${url}/data/load`, { ...LOAD, symbol: 'NOPE' });
    const final = await queue.operations.follow(unknown.body['operation_id'] as string);
    expect(final).toMatchObject({ status: 'failed', error_code: 'unknown_symbol' });
    expect(final.error_message).toContain('NOPE');
  });

  it('loses nothing when the API restarts mid-run, and cancels through DELETE /operations/:id', async () => {
    const dataDir = await resources.tempDir();
    const first = await startQueuedApi(dataDir);
    await startWorker(dataDir, createFakeSource({ hang: true }));
    const id = (await postJson(`${first.url}/data/load`, LOAD)).body['operation_id'] as string;
    await eventually(async () =>
      (await first.queue.operations.get(id)).status === 'running' ? true : undefined,
    );
    // The first API goes away while the load hangs on the gateway; a second one comes up.
    await first.queue.close();
    const second = await startQueuedApi(dataDir);
    const listed = await fetchJson(`${second.url}/operations?status=running`);
    expect((listed.body['data'] as { operation_id: string }[]).map((info) => info.operation_id)).toContain(
      id,
    );

    const cancelled = await fetchJson(`${second.url}/operations/${id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    const final = await fetchJson(`${second.url}/operations/${id}/wait`);
    expect(final.body['data']).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
  });

  it('ktrdr-api --redis killed with SIGKILL mid-load: a new process serves the same operation', async () => {
    const dataDir = await resources.tempDir();
    await startWorker(dataDir, createFakeSource({ hang: true }));
    const startApi = async () => {
      const api = spawnSource(
        resources,
        'packages/server/src/bin/ktrdr-api.ts',
        ['--port', '0', '--redis', redis.url],
        {
          KTRDR_DATA_DIR: dataDir,
        },
      );
      const url = await eventually(
        () => /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(api.output())?.[1],
        30_000,
      );
      return { api, url };
    };
    const first = await startApi();
    const id = (await postJson(`${first.url}/data/load`, LOAD)).body['operation_id'] as string;
    await eventually(async () => {
      const info = await fetchJson(`${first.url}/operations/${id}`);
      return (info.body['data'] as { status: string }).status === 'running' ? true : undefined;
    });
    first.api.kill('SIGKILL');
    await first.api.exited;

    const second = await startApi();
    const seen = await fetchJson(`${second.url}/operations/${id}`);
    expect(seen.body['data']).toMatchObject({
      operation_id: id,
      status: 'running',
      metadata: { symbol: 'AAPL' },
    });
    await fetchJson(`${second.url}/operations/${id}/cancel`, { method: 'POST' });
    const final = await fetchJson(`${second.url}/operations/${id}/wait`);
    expect(final.body['data']).toMatchObject({ status: 'cancelled' });
    second.api.kill('SIGTERM');
    expect((await second.api.exited).code).toBe(0);
  }, 90_000);
});
