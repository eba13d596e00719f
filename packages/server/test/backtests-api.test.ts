import express from 'express';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { createKtrdrClient } from '@ktrdr/client';
import { CsvStore, DataService } from '@ktrdr/data';
import { TrainingService, sampleStrategyPath } from '@ktrdr/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '../src/index';
import { randomWalkFrame } from './support/random-walk';
import { Resources, errorOf, fetchJson, hasStackTrace, postJson } from './support/harness';

/**
 * The backtest routes of the API over real services: simulated bars in a CSV store, the sample
 * strategy trained on their first part, backtests started as operations over HTTP and followed by
 * the remote client.
 */
const resources = new Resources();
let url: string;
let root: string;
let model: string;
const BARS = 2200;
const from = Date.UTC(2023, 0, 2, 14);
const at = (i: number) => new Date(from + i * 3_600_000).toISOString();

beforeAll(async () => {
  root = await resources.tempDir();
  const config = loadConfig({ dataDir: `${root}/data`, modelsDir: `${root}/models` }, {});
  await new CsvStore({ dataDir: config.dataDir }).save('AAPL', '1h', randomWalkFrame(BARS, 7, from), {
    simulated: true,
  });
  const operations = new OperationRegistry();
  const data = resources.add(new DataService({ config, operations }), (d) => d.close());
  const training = resources.add(new TrainingService({ data, operations }), (t) => t.close());
  const trained = await training.startTraining({
    strategyPath: sampleStrategyPath(),
    symbol: 'AAPL',
    timeframe: '1h',
    endDate: at(1400),
    epochs: 2,
    seed: 3,
  });
  model = (await trained.result()).model!;
  const router = resources.add(createApiRouter({ data, operations, training }), (r) => r.close());
  ({ url } = await resources.listen(express().use('/api/v1', router)));
  url = `${url}/api/v1`;
}, 120_000);

afterAll(() => resources.closeAll());

describe('API: /backtests', () => {
  it('starts a backtest as an operation, then lists and shows it; the client follows it remotely', async () => {
    const started = await postJson(`${url}/backtests`, { model, symbol: 'AAPL', start_date: at(1500) });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ success: true, data: { operation_type: 'backtest' } });
    await using client = await createKtrdrClient({ mode: 'remote', apiUrl: url, env: {} });
    const summary = await client.operations.handle(String(started.body['operation_id'])).result();
    expect(summary).toMatchObject({ model, symbol: 'AAPL', simulated: true, bars: BARS - 1500 });

    const viaClient = await (
      await client.backtests.start({ model, symbol: 'AAPL', start_date: at(1800) })
    ).result();
    expect(viaClient.bars).toBe(BARS - 1800);

    const list = await fetchJson(`${url}/backtests`);
    const ids = (list.body['data'] as { backtests: { backtest_id: string }[] }).backtests.map(
      (b) => b.backtest_id,
    );
    // Newest first.
    expect(ids).toEqual([viaClient.backtest_id, (summary as { backtest_id: string }).backtest_id]);
    const shown = await client.backtests.show({ backtest_id: viaClient.backtest_id, points: 20 });
    expect(shown.data.equity.equity).toHaveLength(20);
    expect(shown.data.trades).toHaveLength(Number(viaClient.metrics['total_trades']));
    // No answer reveals where the server keeps its files.
    expect(list.text).not.toContain(root);
    expect(JSON.stringify(shown)).not.toContain(root);
  });

  it('answers bad input with 4xx JSON errors, no stack trace, no path', async () => {
    const badSettings = await postJson(`${url}/backtests`, {
      model,
      symbol: 'AAPL',
      start_date: at(1500),
      settings: { commission: 5 },
    });
    expect(badSettings.status).toBe(400);
    expect(errorOf(badSettings.body).code).toBe('validation');
    const badId = await fetchJson(`${url}/backtests/..%2F..%2Fmodels`);
    expect(badId.status).toBe(400);
    const unknown = await fetchJson(`${url}/backtests/bt_20200101_000000_0badc0de`);
    expect(unknown.status).toBe(404);
    for (const answer of [badSettings, badId, unknown]) {
      expect(hasStackTrace(answer.text)).toBe(false);
      expect(answer.text).not.toContain(root);
    }
  });

  it('documents the backtest routes in the OpenAPI document', async () => {
    const doc = await fetchJson(`${url}/openapi.json`);
    const paths = doc.body['paths'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/backtests'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(paths['/backtests/{backtest_id}']).toHaveProperty('get');
  });
});
