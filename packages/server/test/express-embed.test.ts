import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../examples/express-embed/src/app';
import { fakeDataService } from './support/api-fixture';
import { Resources, errorOf, fetchJson, postJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

async function startExample(apiToken?: string) {
  const { data } = await fakeDataService(resources);
  const example = createApp({ data, apiToken });
  resources.add(example, (e) => e.close());
  const { url } = await resources.listen(example.app);
  return { url, data };
}

describe('examples/express-embed', () => {
  it('serves its own routes beside the API', async () => {
    const { url } = await startExample();
    expect((await fetchJson(`${url}/`)).body).toMatchObject({ app: 'express-embed example' });
    expect((await fetchJson(`${url}/hello?name=ktrdr`)).body).toEqual({ message: 'Hello, ktrdr!' });
    expect((await postJson(`${url}/echo`, { a: 1 })).body).toEqual({ received: { a: 1 } });
    const health = await fetchJson(`${url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ healthy: true, service: 'ktrdr API' });
  });

  it('runs a load through the API with bodies parsed by the app, then serves the bars', async () => {
    const { url } = await startExample();
    const started = await postJson(`${url}/api/v1/data/load`, {
      symbol: 'MSFT',
      timeframe: '1h',
      mode: 'full',
      start_date: '2024-01-08',
      end_date: '2024-01-13',
    });
    expect(started.status).toBe(200);
    const id = started.body['operation_id'] as string;
    const done = await fetchJson(`${url}/api/v1/operations/${id}/wait`);
    expect(done.body).toMatchObject({ data: { status: 'completed' } });
    const bars = await fetchJson(`${url}/api/v1/data/MSFT/1h`);
    expect(bars.body).toMatchObject({ success: true, symbol: 'MSFT', simulated: true, rows: 35 });
  });

  it('answers JSON errors from the app and from the API alike', async () => {
    const { url } = await startExample();
    const appMissing = await fetchJson(`${url}/nope`);
    expect(appMissing.status).toBe(404);
    expect(errorOf(appMissing.body).code).toBe('not_found');
    const apiMissing = await fetchJson(`${url}/api/v1/nope`);
    expect(apiMissing.status).toBe(404);
    const malformed = await postJson(`${url}/api/v1/data/load`, '{"symbol":');
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.body).details).toMatchObject({ field: '(body)' });
    const invalid = await postJson(`${url}/api/v1/data/load`, { symbol: 'MSFT' });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid.body).details).toMatchObject({ field: 'timeframe' });
  });

  it('protects only the API when given a token', async () => {
    const { url } = await startExample('embed-token');
    expect((await fetchJson(`${url}/hello`)).status).toBe(200);
    expect((await fetchJson(`${url}/api/v1/health`)).status).toBe(401);
    const authorised = await fetchJson(`${url}/api/v1/health`, {
      headers: { authorization: 'Bearer embed-token' },
    });
    expect(authorised.status).toBe(200);
  });
});
