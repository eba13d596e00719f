import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createIbHostRouter } from '../src/index';
import { createFakeSource } from './support/fake-source';
import { Resources, errorOf, eventually, fetchJson, hasStackTrace, postJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

async function serveHost(source = createFakeSource(), mountPath = '/') {
  const app = express();
  const router = resources.add(createIbHostRouter({ source, bodyLimitBytes: 4096 }), (r) => r.close());
  app.use(mountPath, router);
  const { url } = await resources.listen(app);
  return { url: `${url}${mountPath === '/' ? '' : mountPath}`, source };
}

describe('IB host router', () => {
  it('reports health with the source name and simulated flag', async () => {
    const { url } = await serveHost();
    const { status, body } = await fetchJson(`${url}/health`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      healthy: true,
      service: 'IB host service',
      source: 'fake',
      simulated: true,
    });
    expect(body['ib_status']).toMatchObject({ connected: true, connection_count: 1 });
  });

  it('serves historical bars in [start, end) and labels them simulated', async () => {
    const { url, source } = await serveHost();
    const { status, body } = await postJson(`${url}/data/historical`, {
      symbol: 'aapl',
      timeframe: '1h',
      start: '2024-03-04T00:00:00Z',
      end: '2024-03-05T00:00:00Z',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, error: null, simulated: true, rows: 7 });
    const data = body['data'] as { date: string }[];
    expect(data[0]).toEqual({
      date: '2024-03-04T14:00:00Z',
      open: expect.any(Number),
      high: expect.any(Number),
      low: expect.any(Number),
      close: expect.any(Number),
      volume: 1000,
    });
    expect(source.log.fetches[0]).toMatchObject({ symbol: 'AAPL', timeframe: '1h' });
  });

  it('rejects bad historical input with 400 naming the field', async () => {
    const { url } = await serveHost();
    const reversed = await postJson(`${url}/data/historical`, {
      symbol: 'AAPL',
      timeframe: '1h',
      start: '2024-03-05T00:00:00Z',
      end: '2024-03-04T00:00:00Z',
    });
    expect(reversed.status).toBe(400);
    expect(errorOf(reversed.body)).toMatchObject({ code: 'validation', details: { field: 'start' } });
    const badTimeframe = await postJson(`${url}/data/historical`, {
      symbol: 'AAPL',
      timeframe: '7h',
      start: '2024-03-04',
      end: '2024-03-05',
    });
    expect(badTimeframe.status).toBe(400);
    expect(errorOf(badTimeframe.body).details).toMatchObject({ field: 'timeframe' });
  });

  it('answers 404 with the serialised error for an unknown symbol', async () => {
    const { url } = await serveHost();
    const historical = await postJson(`${url}/data/historical`, {
      symbol: 'NOPE',
      timeframe: '1d',
      start: '2024-03-04',
      end: '2024-03-05',
    });
    expect(historical.status).toBe(404);
    expect(errorOf(historical.body)).toMatchObject({ code: 'unknown_symbol', name: 'UnknownSymbolError' });
    const info = await fetchJson(`${url}/data/symbol-info/NOPE`);
    expect(info.status).toBe(404);
    expect(errorOf(info.body).code).toBe('unknown_symbol');
    expect(hasStackTrace(historical.text) || hasStackTrace(info.text)).toBe(false);
  });

  it('validates symbols: known ones with head timestamps, unknown ones as is_valid false', async () => {
    const { url } = await serveHost();
    const known = await postJson(`${url}/data/validate`, { symbol: 'MSFT', timeframes: ['1d'] });
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({
      success: true,
      is_valid: true,
      contract_info: { symbol: 'MSFT', asset_type: 'STK' },
      head_timestamps: { '1d': '2000-01-03T00:00:00Z' },
    });
    const unknown = await postJson(`${url}/data/validate`, { symbol: 'NOPE' });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ success: true, is_valid: false, contract_info: null });
    const missing = await postJson(`${url}/data/validate`, {});
    expect(missing.status).toBe(400);
    expect(errorOf(missing.body).details).toMatchObject({ field: 'symbol' });
  });

  it('serves symbol info and head timestamps', async () => {
    const { url } = await serveHost();
    const info = await fetchJson(`${url}/data/symbol-info/AAPL`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ success: true, symbol: 'AAPL', contract_info: { exchange: 'SMART' } });
    const head = await fetchJson(`${url}/data/head-timestamp?symbol=AAPL&timeframe=1h`);
    expect(head.body).toEqual({ success: true, symbol: 'AAPL', timestamp: '2000-01-03T00:00:00Z' });
    const noSymbol = await fetchJson(`${url}/data/head-timestamp`);
    expect(noSymbol.status).toBe(400);
    expect(errorOf(noSymbol.body).details).toMatchObject({ field: 'symbol' });
  });

  it('works under any mount path and answers 404 JSON for unknown routes below it', async () => {
    const { url } = await serveHost(createFakeSource(), '/ib');
    expect((await fetchJson(`${url}/health`)).status).toBe(200);
    const unknown = await fetchJson(`${url}/data/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body)).toMatchObject({
      code: 'not_found',
      details: { method: 'GET', path: '/ib/data/nothing-here' },
    });
    const wrongMethod = await fetchJson(`${url}/data/historical`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(404);
  });

  it('aborts the source request when the client disconnects', async () => {
    const { url, source } = await serveHost(createFakeSource({ hang: true }));
    const controller = new AbortController();
    const call = fetch(`${url}/data/historical`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-05' }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await eventually(() => (source.log.fetches.length > 0 ? true : undefined));
    expect(source.log.aborted).toHaveLength(0);
    controller.abort();
    await call;
    await eventually(() => (source.log.aborted.length > 0 ? true : undefined));
    expect(source.log.aborted[0]?.signal?.aborted).toBe(true);
  });

  it('closes a source it built itself, never one it was given', async () => {
    const given = createFakeSource();
    const router = createIbHostRouter({ source: given });
    await router.close();
    expect(given.log.closed).toBe(0);
  });
});
