import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKtrdrClient } from '@ktrdr/client';
import { type KtrdrConfig, loadConfig } from '@ktrdr/core';
import { type IbSimulator, startIbSimulator } from '@ktrdr/ib-sim';
import { type RunningServer, startServer } from '@ktrdr/server';

let simulator: IbSimulator;
let host: RunningServer;
let root: string;
let config: KtrdrConfig;

beforeAll(async () => {
  simulator = await startIbSimulator({ port: 0 });
  const ib = { host: simulator.host, port: simulator.port };
  // An IB host service that, like any deployment off loopback, wants the bearer token.
  host = await startServer({
    kind: 'ib-host',
    port: 0,
    token: 'secret',
    config: loadConfig({ ib }, {}),
    env: {},
  });
  root = await mkdtemp(join(tmpdir(), 'ktrdr-client-token-'));
  config = loadConfig({ dataDir: root, ib: { ...ib, useHostService: true, hostServiceUrl: host.url } }, {});
});
afterAll(async () => {
  await host.close();
  await simulator.close();
  await rm(root, { recursive: true, force: true });
});

describe('an embedded client routed to the IB host service', () => {
  it('sends the deployment token (KTRDR_API_TOKEN), as the API does', async () => {
    await using client = await createKtrdrClient({
      mode: 'embedded',
      config,
      env: { KTRDR_API_TOKEN: 'secret' },
    });
    const load = await client.data.load({ symbol: 'MSFT', timeframe: '1d', mode: 'tail' });
    expect(await load.result()).toMatchObject({ symbol: 'MSFT', simulated: true });
  });

  it('without the token, the load fails as unauthorized rather than hanging', async () => {
    await using client = await createKtrdrClient({ mode: 'embedded', config, env: {} });
    const load = await client.data.load({ symbol: 'MSFT', timeframe: '1d', mode: 'tail' });
    await expect(load.result()).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
