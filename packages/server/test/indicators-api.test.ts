import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, CsvStore, DataService } from '@ktrdr/data';
import { TrainingService, computeIndicator, loadStrategyFile, sampleStrategyPath } from '@ktrdr/training';
import { createApiRouter } from '../src/index';
import { createFakeSource } from './support/fake-source';
import { Resources, fetchJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';

const resources = new Resources();
afterEach(() => resources.closeAll());

interface IndicatorsAnswer {
  strategy: string;
  simulated: boolean;
  rows: number;
  outputs: { column: string; key: string; indicator: string; output: string; overlay: boolean }[];
  columns: Record<string, (number | null)[]>;
}

/** The API (with training) over a store holding 1,500 hourly AAPL bars, its strategies folder the sample's copy. */
async function startApi() {
  const dataDir = await resources.tempDir();
  const strategiesDir = await resources.tempDir();
  await writeFile(join(strategiesDir, 'sample.yaml'), await readFile(sampleStrategyPath(), 'utf8'));
  const data = resources.add(
    new DataService({
      config: loadConfig({ dataDir }, {}),
      adapter: new AsyncDataAdapter({ kind: 'in-process', source: createFakeSource() }),
      operations: new OperationRegistry(),
      store: new CsvStore({ dataDir }),
    }),
    (d) => d.close(),
  );
  const bars = randomWalkFrame(1500);
  await data.store.save('AAPL', '1h', bars);
  const training = resources.add(new TrainingService({ data }), (t) => t.close());
  const app = express();
  app.use('/api/v1', createApiRouter({ data, training, strategiesDir }));
  const { url } = await resources.listen(app);
  return { url: `${url}/api/v1`, bars, strategiesDir };
}

/** `values` as JSON answers them: NaN as null. */
const asJson = (values: Float64Array) => Array.from(values, (v) => (Number.isFinite(v) ? v : null));

describe('GET /indicators/:symbol/:timeframe', () => {
  it("answers the strategy's indicators as columns, equal to the training package's computation", async () => {
    const { url, bars } = await startApi();
    const strategy = await loadStrategyFile(sampleStrategyPath());
    const columns = bars.columns();

    // The whole series (limit above its length): the values training computes over it.
    const all = await fetchJson(`${url}/indicators/AAPL/1h?strategy=sample&limit=5000`);
    expect(all.status).toBe(200);
    const answer = (all.body as { data: IndicatorsAnswer }).data;
    expect(answer).toMatchObject({ strategy: 'neuro_fuzzy_sample', simulated: false, rows: 1500 });
    expect(answer.columns['time']).toEqual(Array.from(columns.time));
    let checked = 0;
    for (const indicator of strategy.indicators) {
      const expected = computeIndicator(indicator.indicator, columns, indicator.params);
      for (const [output, values] of Object.entries(expected)) {
        expect(answer.columns[`${indicator.key}.${output}`], `${indicator.key}.${output}`).toEqual(
          asJson(values),
        );
        checked++;
      }
    }
    expect(answer.outputs).toHaveLength(checked);
    // Moving averages overlay the price; oscillators and ratios get their own pane.
    const overlay = Object.fromEntries(answer.outputs.map((o) => [o.column, o.overlay]));
    expect(overlay).toMatchObject({
      'sma.value': true,
      'sma.ratio': false,
      'rsi.value': false,
      'macd.macd': false,
    });

    // A window: the last 200 bars, computed over them and the warm-up bars before them.
    const tail = await fetchJson(`${url}/indicators/AAPL/1h?strategy=sample&limit=200`);
    const window = (tail.body as { data: IndicatorsAnswer }).data;
    expect(window.rows).toBe(200);
    expect(window.columns['time']).toEqual(Array.from(columns.time.subarray(1300)));
    const rsi = strategy.indicators.find((i) => i.key === 'rsi')!;
    const last1200 = bars.tail(1200).columns();
    expect(window.columns['rsi.value']).toEqual(
      asJson(computeIndicator(rsi.indicator, last1200, rsi.params)['value']!.subarray(1000)),
    );
    // Past its warm-up: no null in the window.
    expect(window.columns['rsi.value']).not.toContain(null);
  });

  it('answers 404 for an unknown strategy or series and 400 for a bad name or limit, naming no server path', async () => {
    const { url, strategiesDir } = await startApi();
    const cases: [string, number][] = [
      ['AAPL/1h?strategy=nosuch', 404],
      ['MSFT/1h?strategy=sample', 404],
      ['AAPL/1h?strategy=..%2F..%2Fetc%2Fpasswd', 400],
      ['AAPL/1h?strategy=%2Fetc%2Fpasswd', 400],
      ['AAPL/1h', 400],
      ['AAPL/1h?strategy=sample&limit=0', 400],
      ['AAPL/7h?strategy=sample', 400],
    ];
    for (const [query, status] of cases) {
      const answer = await fetchJson(`${url}/indicators/${query}`);
      expect(answer.status, query).toBe(status);
      expect(answer.body, query).toMatchObject({ success: false });
      expect(answer.text, query).not.toContain(strategiesDir);
    }
    // A strategy file that does not parse is a 400 naming the file only.
    await writeFile(join(strategiesDir, 'broken.yaml'), 'name: broken\nindicators: 3\n');
    const broken = await fetchJson(`${url}/indicators/AAPL/1h?strategy=broken`);
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('broken.yaml');
    expect(broken.text).not.toContain(strategiesDir);
  });

  it('is listed in the OpenAPI document', async () => {
    const { url } = await startApi();
    const doc = await fetchJson(`${url}/openapi.json`);
    expect(Object.keys(doc.body['paths'] as object)).toContain('/indicators/{symbol}/{timeframe}');
  });

  it('comes with the training routes: an API serving data alone has no such route', async () => {
    const dataDir = await resources.tempDir();
    const data = resources.add(new DataService({ config: loadConfig({ dataDir }, {}) }), (d) => d.close());
    const app = express();
    app.use('/api/v1', createApiRouter({ data }));
    const { url } = await resources.listen(app);
    const answer = await fetchJson(`${url}/api/v1/indicators/AAPL/1h?strategy=sample`);
    expect(answer.status).toBe(404);
  });
});
