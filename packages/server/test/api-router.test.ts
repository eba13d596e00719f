import { readFile } from 'node:fs/promises';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { formatBarsCsv } from '@ktrdr/data';
import { TrainingService } from '@ktrdr/training';
import { createApiRouter } from '../src/index';
import { hourlyBars, startApi } from './support/api-fixture';
import { createFakeSource } from './support/fake-source';
import { Resources, errorOf, eventually, fetchJson, hasStackTrace, postJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

/** Reads a server-sent event stream to its end. */
async function readEvents(response: Response): Promise<{ event: string; data: unknown; id?: string }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const fields = Object.fromEntries(
        block
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      return {
        event: fields['event'] as string,
        data: JSON.parse(fields['data'] as string) as unknown,
        id: fields['id'],
      };
    });
}

const LOAD = {
  symbol: 'AAPL',
  timeframe: '1h',
  mode: 'full',
  start_date: '2024-03-04T00:00:00Z',
  end_date: '2024-03-23T00:00:00Z',
};

describe('API router: health', () => {
  it('aggregates the data path health', async () => {
    const { url } = await startApi(resources);
    const { status, body } = await fetchJson(`${url}/health`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      healthy: true,
      status: 'ok',
      service: 'ktrdr API',
      operations: { running: 0 },
      components: { data: { healthy: true, service: 'IB host service', source: 'fake' } },
    });
    expect(body['components']).not.toHaveProperty('training');
  });

  it('reports a failing or hanging component as degraded, still answering 200', async () => {
    const failing = await startApi(resources, { source: createFakeSource({ health: 'fail' }) });
    const failed = await fetchJson(`${failing.url}/health`);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      healthy: false,
      status: 'degraded',
      components: { data: { healthy: false } },
    });
    const hanging = await startApi(resources, {
      source: createFakeSource({ health: 'hang' }),
      router: { healthTimeoutMs: 50 },
    });
    const hung = await fetchJson(`${hanging.url}/health`);
    expect(hung.body).toMatchObject({
      healthy: false,
      components: { data: { healthy: false, error: { code: 'internal' } } },
    });
    expect(JSON.stringify(hung.body)).toContain('no answer within 50 ms');
  });

  it('includes the training component and routes when given a training service', async () => {
    const { data, operations } = await startApi(resources);
    const training = resources.add(new TrainingService({ data, operations }), (t) => t.close());
    const app = express();
    app.use('/api/v1', createApiRouter({ data, operations, training }));
    const { url } = await resources.listen(app);
    const { body } = await fetchJson(`${url}/api/v1/health`);
    expect(body).toMatchObject({
      healthy: true,
      components: { training: { healthy: true, service: 'Training host service', mode: 'in-process' } },
    });
    expect((await fetchJson(`${url}/api/v1/models`)).body).toEqual({ success: true, data: [] });
  });
});

describe('API router: data routes', () => {
  it('lists symbols and timeframes', async () => {
    const { url, data } = await startApi(resources);
    await data.store.save('MSFT', '1h', hourlyBars(5), { simulated: true });
    const symbols = await fetchJson(`${url}/symbols`);
    expect(symbols.status).toBe(200);
    expect(symbols.body).toMatchObject({
      success: true,
      data: [
        {
          symbol: 'MSFT',
          timeframes: ['1h'],
          simulated: true,
          series: [{ rows: 5, start: '2024-01-01T14:00:00Z' }],
        },
      ],
    });
    const timeframes = await fetchJson(`${url}/timeframes`);
    expect((timeframes.body['data'] as { timeframe: string }[]).map((t) => t.timeframe)).toEqual([
      '1m',
      '5m',
      '15m',
      '30m',
      '1h',
      '2h',
      '3h',
      '4h',
      '1d',
      '1w',
      '1M',
    ]);
  });

  it('serves stored bars as JSON with named fields, honouring start/end and limit', async () => {
    const { url, data } = await startApi(resources);
    await data.store.save('AAPL', '1h', hourlyBars(10), { simulated: true });
    const all = await fetchJson(`${url}/data/AAPL/1h`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      success: true,
      symbol: 'AAPL',
      timeframe: '1h',
      simulated: true,
      rows: 10,
    });
    expect((all.body['data'] as unknown[])[0]).toEqual({
      date: '2024-01-01T14:00:00Z',
      open: 100,
      high: 101.25,
      low: 99,
      close: 100.5,
      volume: 100,
    });
    const limited = await fetchJson(`${url}/data/AAPL/1h?limit=3`);
    expect((limited.body['data'] as { date: string }[]).map((bar) => bar.date)).toEqual([
      '2024-01-01T21:00:00Z',
      '2024-01-01T22:00:00Z',
      '2024-01-01T23:00:00Z',
    ]);
    const ranged = await fetchJson(`${url}/data/AAPL/1h?start=2024-01-01T15:00:00Z&end=2024-01-01T17:00:00Z`);
    expect(ranged.body['rows']).toBe(2);
  });

  it('serves stored bars as CSV byte for byte in the store layout', async () => {
    const { url, data } = await startApi(resources);
    const saved = await data.store.save('AAPL', '1h', hourlyBars(10), { simulated: true });
    const response = await fetch(`${url}/data/AAPL/1h?format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('x-ktrdr-simulated')).toBe('true');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(await readFile(saved.path))).toBe(true);
    expect(body.toString().split('\n')[0]).toBe('date,open,high,low,close,volume');
    const tail = await (await fetch(`${url}/data/AAPL/1h?format=csv&limit=2`)).text();
    expect(tail).toBe(formatBarsCsv(hourlyBars(10).tail(2)).toString());
    const byAccept = await fetch(`${url}/data/AAPL/1h`, { headers: { accept: 'text/csv' } });
    expect(byAccept.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('answers CSV failures as JSON errors', async () => {
    const { url, data } = await startApi(resources);
    await data.store.save('AAPL', '1h', hourlyBars(3), { simulated: true });
    const missing = await fetchJson(`${url}/data/MSFT/1h?format=csv`);
    expect(missing.status).toBe(404);
    expect(errorOf(missing.body).code).toBe('not_found');
    const badFormat = await fetchJson(`${url}/data/AAPL/1h?format=xml`);
    expect(badFormat.status).toBe(400);
    expect(errorOf(badFormat.body).details).toMatchObject({ field: 'format' });
    const badLimit = await fetchJson(`${url}/data/AAPL/1h?format=csv&limit=-1`);
    expect(badLimit.status).toBe(400);
    expect(errorOf(badLimit.body).details).toMatchObject({ field: 'limit' });
    const badSymbol = await fetchJson(`${url}/data/..%2Fetc/1h?format=csv`);
    expect(badSymbol.status).toBe(400);
    expect(errorOf(badSymbol.body).details).toMatchObject({ field: 'symbol' });
  });

  it('answers 404 for bars never stored and 400 for an unknown timeframe', async () => {
    const { url } = await startApi(resources);
    const missing = await fetchJson(`${url}/data/AAPL/1h`);
    expect(missing.status).toBe(404);
    expect(errorOf(missing.body).message).toContain('load it first');
    const badTimeframe = await fetchJson(`${url}/data/AAPL/7h`);
    expect(badTimeframe.status).toBe(400);
    expect(errorOf(badTimeframe.body).details).toMatchObject({ field: 'timeframe' });
  });

  it('starts a load as an operation, follows it to completion and reads the range', async () => {
    const { url } = await startApi(resources);
    const started = await postJson(`${url}/data/load`, LOAD);
    expect(started.status).toBe(200);
    const id = started.body['operation_id'] as string;
    expect(id).toMatch(/^op_data_load_\d{8}_\d{6}_[0-9a-f]{8}$/);
    const waited = await fetchJson(`${url}/operations/${id}/wait`);
    expect(waited.body).toMatchObject({
      success: true,
      data: { status: 'completed', metadata: { symbol: 'AAPL', timeframe: '1h', mode: 'full' } },
    });
    const summary = (waited.body['data'] as { result_summary: Record<string, unknown> }).result_summary;
    expect(summary).toMatchObject({ simulated: true });
    expect(summary['bars']).toBeGreaterThan(50);
    const range = await postJson(`${url}/data/range`, { symbol: 'AAPL', timeframe: '1h' });
    expect(range.body).toMatchObject({
      success: true,
      data: { symbol: 'AAPL', timeframe: '1h', simulated: true },
    });
    const bars = await fetchJson(`${url}/data/AAPL/1h`);
    expect(bars.body['rows']).toBe(summary['bars']);
  });

  it('rejects bad load requests before any operation exists', async () => {
    const { url, operations } = await startApi(resources);
    const badMode = await postJson(`${url}/data/load`, { ...LOAD, mode: 'sideways' });
    expect(badMode.status).toBe(400);
    expect(errorOf(badMode.body).details).toMatchObject({ field: 'mode' });
    const badDate = await postJson(`${url}/data/load`, { ...LOAD, start_date: 'yesterday-ish' });
    expect(badDate.status).toBe(400);
    expect(errorOf(badDate.body).details).toMatchObject({ field: 'start_date' });
    const reversed = await postJson(`${url}/data/load`, {
      ...LOAD,
      start_date: LOAD.end_date,
      end_date: LOAD.start_date,
    });
    expect(reversed.status).toBe(400);
    expect(operations.list()).toHaveLength(0);
    const range = await postJson(`${url}/data/range`, { symbol: 'AAPL', timeframe: '1h' });
    expect(range.status).toBe(404);
  });
});

describe('API router: operations', () => {
  it('lists, gets and cancels operations by DELETE and by POST .../cancel', async () => {
    const { url } = await startApi(resources, { source: createFakeSource({ hang: true }) });
    const first = (await postJson(`${url}/data/load`, LOAD)).body['operation_id'] as string;
    const second = (await postJson(`${url}/data/load`, { ...LOAD, symbol: 'MSFT' })).body[
      'operation_id'
    ] as string;
    const listed = await fetchJson(`${url}/operations`);
    expect(listed.body['total_count']).toBe(2);
    const got = await fetchJson(`${url}/operations/${first}`);
    expect(got.body).toMatchObject({
      success: true,
      data: { operation_id: first, operation_type: 'data_load' },
    });
    const deleted = await fetchJson(`${url}/operations/${first}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const posted = await postJson(`${url}/operations/${second}/cancel`, {});
    expect(posted.status).toBe(200);
    for (const id of [first, second]) {
      const final = await fetchJson(`${url}/operations/${id}/wait`);
      expect(final.body).toMatchObject({ data: { status: 'cancelled', error_code: 'cancelled' } });
    }
    const cancelledOnly = await fetchJson(`${url}/operations?status=cancelled`);
    expect(cancelledOnly.body['total_count']).toBe(2);
  });

  it('answers 404 for an unknown operation and 400 for a malformed id', async () => {
    const { url } = await startApi(resources);
    const unknown = await fetchJson(`${url}/operations/op_data_load_20240101_000000_deadbeef`);
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).code).toBe('not_found');
    const malformed = await fetchJson(`${url}/operations/not-an-id`);
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.body).details).toMatchObject({ field: 'operation_id' });
    const events = await fetchJson(`${url}/operations/op_data_load_20240101_000000_deadbeef/events`);
    expect(events.status).toBe(404);
    expect(hasStackTrace(events.text)).toBe(false);
  });

  it('streams progress as server-sent events, ending with the final snapshot', async () => {
    const { url } = await startApi(resources);
    const id = (await postJson(`${url}/data/load`, LOAD)).body['operation_id'] as string;
    const response = await fetch(`${url}/operations/${id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = await readEvents(response);
    expect(events[0]?.event).toBe('snapshot');
    const last = events.at(-1);
    expect(last?.event).toBe('end');
    expect(last?.data).toMatchObject({
      operation_id: id,
      status: 'completed',
      progress: { percentage: 100 },
    });
    const progress = events
      .filter((e) => e.event === 'progress')
      .map((e) => (e.data as { percentage: number }).percentage);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i));
  });

  it('sends one end event at once for an operation that already ended', async () => {
    const { url } = await startApi(resources);
    const id = (await postJson(`${url}/data/load`, LOAD)).body['operation_id'] as string;
    await fetchJson(`${url}/operations/${id}/wait`);
    const events = await readEvents(await fetch(`${url}/operations/${id}/events`));
    expect(events.map((e) => e.event)).toEqual(['snapshot', 'end']);
  });

  it('stops listening when the stream client goes away, and the operation goes on', async () => {
    const { url, operations } = await startApi(resources, { source: createFakeSource({ hang: true }) });
    const id = (await postJson(`${url}/data/load`, LOAD)).body['operation_id'] as string;
    const handle = operations.get(id);
    const controller = new AbortController();
    const response = await fetch(`${url}/operations/${id}/events`, { signal: controller.signal });
    expect(response.status).toBe(200);
    await eventually(() => (handle.listenerCount('status') > 0 ? true : undefined));
    controller.abort();
    await eventually(() =>
      handle.listenerCount('status') === 0 && handle.listenerCount('progress') === 0 ? true : undefined,
    );
    expect(handle.done).toBe(false);
    handle.cancel();
  });

  it('answers 404 JSON for unknown routes under the router', async () => {
    const { url } = await startApi(resources);
    const unknown = await fetchJson(`${url}/nothing/here`);
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body)).toMatchObject({
      code: 'not_found',
      details: { path: '/api/v1/nothing/here' },
    });
  });
});
