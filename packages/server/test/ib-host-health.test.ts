import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, DataService } from '@ktrdr/data';
import { createApiRouter, createIbHostRouter } from '../src/index';
import { createFakeSource } from './support/fake-source';
import { Resources, fetchJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

describe('IB host health with the gateway down', () => {
  it('says degraded with gateway down, and the API health shows it through the host service', async () => {
    const fake = createFakeSource();
    let connected = true;
    const source = {
      ...fake,
      health: async () => ({ connected, connection_count: connected ? 1 : 0, simulated: true }),
    };
    const hostApp = express();
    hostApp.use(resources.add(createIbHostRouter({ source }), (r) => r.close()));
    const host = await resources.listen(hostApp);

    const operations = new OperationRegistry();
    const data = resources.add(
      new DataService({
        config: loadConfig({ dataDir: await resources.tempDir() }, {}),
        adapter: new AsyncDataAdapter({ kind: 'http', url: host.url, deadlineMs: 5_000 }),
        operations,
      }),
      (d) => d.close(),
    );
    const apiApp = express();
    apiApp.use('/api/v1', createApiRouter({ data, operations }));
    const api = await resources.listen(apiApp);

    const up = await fetchJson(`${host.url}/health`);
    expect(up.body).toMatchObject({ healthy: true, status: 'ok', gateway: 'up' });

    connected = false;
    const down = await fetchJson(`${host.url}/health`);
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ healthy: false, status: 'degraded', gateway: 'down' });
    const apiHealth = await fetchJson(`${api.url}/api/v1/health`);
    expect(apiHealth.body).toMatchObject({
      healthy: false,
      status: 'degraded',
      components: { data: { healthy: false, status: 'degraded', gateway: 'down', mode: 'http' } },
    });
  });
});
