import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@ktrdr/core';
import { DataService, createIbDataSource } from '@ktrdr/data';
import { startIbSimulator } from '@ktrdr/ib-sim';
import { startServer } from '../src/index';
import { Resources, eventually, fetchJson, postJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

let nextClientId = 40;

/** The IB simulator on TCP and the IB host service over a direct-IB source connected to it. */
async function simulatedIbHost(simOptions: Parameters<typeof startIbSimulator>[0] = {}) {
  const sim = resources.add(await startIbSimulator({ port: 0, ...simOptions }), (s) => s.close());
  const source = createIbDataSource({
    host: sim.host,
    port: sim.port,
    clientId: nextClientId++,
    requestTimeoutMs: 15_000,
  });
  const host = resources.add(await startServer({ kind: 'ib-host', port: 0, source, env: {} }), (h) =>
    h.close(),
  );
  return { sim, host };
}

describe('full chain: API -> DataService -> http adapter -> IB host -> direct IB -> IB simulator', () => {
  it('loads AAPL 1h over a few weeks through every layer and serves the simulated bars', async () => {
    const { sim, host } = await simulatedIbHost();
    const dataDir = await resources.tempDir();
    // The DataService's own default wiring: USE_IB_HOST_SERVICE=true routes data over HTTP.
    const data = new DataService({
      config: loadConfig({ dataDir, ib: { useHostService: true, hostServiceUrl: host.url } }, {}),
    });
    const api = resources.add(await startServer({ kind: 'api', port: 0, data, env: {} }), (a) => a.close());

    const started = await postJson(`${api.url}/data/load`, {
      symbol: 'AAPL',
      timeframe: '1h',
      mode: 'full',
      start_date: '2024-03-04T00:00:00Z',
      end_date: '2024-03-23T00:00:00Z',
    });
    expect(started.status).toBe(200);
    const id = started.body['operation_id'] as string;
    const stream = await (await fetch(`${api.url}/operations/${id}/events`)).text();
    expect(stream).toMatch(/event: end\ndata: [^\n]*"status":"completed"/);

    const operation = await fetchJson(`${api.url}/operations/${id}`);
    const summary = (operation.body['data'] as { result_summary: Record<string, unknown> }).result_summary;
    expect(summary).toMatchObject({ symbol: 'AAPL', timeframe: '1h', simulated: true, failed_segments: [] });
    expect(sim.stats.requestsByKind['historical-data']).toBeGreaterThan(0);

    const bars = await fetchJson(`${api.url}/data/AAPL/1h`);
    expect(bars.body).toMatchObject({ success: true, symbol: 'AAPL', timeframe: '1h', simulated: true });
    // 15 trading days of regular-hours bars (7 per day: 9:30 to 16:00 New York).
    expect(bars.body['rows']).toBe(summary['bars']);
    expect(bars.body['rows']).toBeGreaterThanOrEqual(15 * 7);
    const first = (bars.body['data'] as { date: string; open: number }[])[0];
    expect(first?.date).toMatch(/^2024-03-04T1[34]:30:00Z$/);

    const csv = await (await fetch(`${api.url}/data/AAPL/1h?format=csv&limit=2`)).text();
    expect(csv.split('\n')).toHaveLength(4);

    const health = await fetchJson(`${api.url}/health`);
    expect(health.body).toMatchObject({
      healthy: true,
      components: { data: { mode: 'http', simulated: true, ib_status: { connected: true } } },
    });
  });

  it('cancels the IB request when the IB host client disconnects', async () => {
    const { sim, host } = await simulatedIbHost({
      // Only the bars are slow, so the request is surely in flight when the client goes away.
      latencyMs: (request) => (request.kind === 'historical-data' ? 5_000 : 0),
    });
    const controller = new AbortController();
    const call = fetch(`${host.url}/data/historical`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-06' }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await eventually(() => (sim.stats.requestsByKind['historical-data'] > 0 ? true : undefined));
    expect(sim.stats.requestsByKind['cancel-historical-data']).toBe(0);
    controller.abort();
    await call;
    await eventually(() => (sim.stats.requestsByKind['cancel-historical-data'] > 0 ? true : undefined));
    expect(sim.messages.some((message) => message.name === 'CANCEL_HISTORICAL_DATA')).toBe(true);
  });
});
