import {
  NotFoundError,
  type ServiceClient,
  ValidationError,
  createInProcessTransport,
  createServiceClient,
  loadConfig,
} from '@ktrdr/core';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncDataAdapter } from '../../src/adapter/async-data-adapter';
import { type DataApiContract, dataApiContract } from '../../src/api/data-api-contract';
import { createDataApiService } from '../../src/api/create-data-api-service';
import { TIMEFRAMES } from '../../src/domain/timeframes';
import { DataService } from '../../src/service/data-service';
import {
  Closer,
  FIXTURE_SYMBOL,
  FixtureSource,
  configFor,
  fixtureBarsIn,
  ibAdapter,
  listFolder,
  simulator,
  tempDir,
} from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

/** The data API called in-process, over a data service on the simulator. */
async function api(): Promise<{
  client: ServiceClient<DataApiContract>;
  data: DataService;
  dataDir: string;
}> {
  const sim = await simulator(closer);
  const dataDir = join(await tempDir(closer), 'data');
  const config = configFor(sim, dataDir);
  const data = closer.add(new DataService({ config, adapter: ibAdapter(closer, config.ib) }), (s) =>
    s.close(),
  );
  const transport = closer.add(createInProcessTransport(createDataApiService(data)), (t) => t.close());
  return { client: createServiceClient(dataApiContract, transport), data, dataDir };
}

describe('data API service (in-process)', () => {
  it('starts a load as an operation and serves symbols, bars, and range from what it stored', async () => {
    const { client, data } = await api();
    expect((await client.symbols({})).data).toEqual([]);

    const started = await client.load({
      symbol: 'AAPL',
      timeframe: '1h',
      start_date: '2024-03-04',
      end_date: '2024-03-09',
    });
    expect(started.operation_id).toMatch(/^op_data_load_/);
    expect(started.data).toMatchObject({
      operation_id: started.operation_id,
      operation_type: 'data_load',
      metadata: { symbol: 'AAPL', timeframe: '1h', mode: 'tail', start_date: '2024-03-04T00:00:00Z' },
    });
    const handle = data.operations.get(started.operation_id);
    await handle.result();
    expect(handle.status).toBe('completed');

    const symbols = await client.symbols({});
    expect(symbols.data).toEqual([
      {
        symbol: 'AAPL',
        timeframes: ['1h'],
        simulated: true,
        series: [
          {
            symbol: 'AAPL',
            timeframe: '1h',
            simulated: true,
            rows: 35,
            start: '2024-03-04T14:30:00Z',
            end: '2024-03-08T20:00:00Z',
          },
        ],
      },
    ]);

    const stored = (await data.loadCachedData('AAPL', '1h')).frame.toRows();
    const last = await client.bars({ symbol: 'AAPL', timeframe: '1h', limit: 5 });
    expect(last).toMatchObject({ symbol: 'AAPL', timeframe: '1h', simulated: true, rows: 5 });
    expect(last.data.map((bar) => Date.parse(bar.date))).toEqual(stored.slice(-5).map((bar) => bar.time));
    expect(last.data[4]).toEqual({
      date: '2024-03-08T20:00:00Z',
      open: stored[34]?.open,
      high: stored[34]?.high,
      low: stored[34]?.low,
      close: stored[34]?.close,
      volume: stored[34]?.volume,
    });
    const oneDay = await client.bars({
      symbol: 'aapl',
      timeframe: '1h',
      start_date: '2024-03-05',
      end_date: '2024-03-06',
    });
    expect(oneDay.rows).toBe(7);
    expect(oneDay.data[0]?.date).toBe('2024-03-05T14:30:00Z');

    expect((await client.range({ symbol: 'AAPL', timeframe: '1h' })).data).toEqual({
      symbol: 'AAPL',
      timeframe: '1h',
      start: '2024-03-04T14:30:00Z',
      end: '2024-03-08T20:00:00Z',
      rows: 35,
      simulated: true,
    });
  });

  it('lists every timeframe with its IB bar size', async () => {
    const { client } = await api();
    const { data } = await client.timeframes({});
    expect(data.map((entry) => entry.timeframe)).toEqual([...TIMEFRAMES]);
    expect(data.find((entry) => entry.timeframe === '1h')).toEqual({
      timeframe: '1h',
      ms: 3_600_000,
      ibBarSize: '1 hour',
      maxRequestDays: 30,
    });
  });

  it('answers bars and range of an unstored series with NotFoundError', async () => {
    const { client } = await api();
    await expect(client.bars({ symbol: 'AAPL', timeframe: '1h' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.range({ symbol: 'AAPL', timeframe: '1h' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('rejects bad loads with ValidationError and starts no operation', async () => {
    const { client, data, dataDir } = await api();
    for (const bad of [
      { symbol: '../etc', timeframe: '1h' },
      { symbol: 'AAPL', timeframe: '1x' },
      { symbol: 'AAPL', timeframe: '1h', start_date: '2024-03-09', end_date: '2024-03-04' },
    ]) {
      await expect(client.load(bad)).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(client.bars({ symbol: '../etc', timeframe: '1h' })).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'symbol' },
    });
    expect(data.operations.list()).toEqual([]);
    expect(await listFolder(dataDir)).toBeUndefined();
  });

  it('passes the instrument type of a load down to the symbol lookup', async () => {
    const source = new FixtureSource();
    const dataDir = join(await tempDir(closer), 'data');
    const data = closer.add(
      new DataService({
        config: loadConfig({ dataDir }, {}),
        adapter: new AsyncDataAdapter({ kind: 'in-process', source }),
      }),
      (s) => s.close(),
    );
    const client = createServiceClient(dataApiContract, createInProcessTransport(createDataApiService(data)));
    const started = await client.load({
      symbol: FIXTURE_SYMBOL,
      timeframe: '1h',
      start_date: '2024-03-18',
      end_date: '2024-03-23',
      instrument_type: 'STK',
    });
    expect(started.data.metadata).toMatchObject({ instrument_type: 'STK' });
    const result = await data.operations.get(started.operation_id).result();
    expect(source.lookups).toEqual(['STK']);
    const bars = await client.bars({ symbol: FIXTURE_SYMBOL, timeframe: '1h' });
    expect(bars.data.map((bar) => Date.parse(bar.date))).toEqual(
      fixtureBarsIn('2024-03-18', '2024-03-23').map((bar) => bar.time),
    );
    expect(result).toMatchObject({ simulated: true });
  });
});
