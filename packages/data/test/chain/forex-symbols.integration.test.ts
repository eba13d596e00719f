import { ValidationError } from '@ktrdr/core';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataService } from '../../src/service/data-service';
import { Closer, configFor, ibAdapter, listFolder, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

describe('forex symbols written as Python KTRDR strategies write them', () => {
  it('loads EURUSD as the IDEALPRO cash pair EUR.USD and stores it under that name', async () => {
    const sim = await simulator(closer);
    const dataDir = join(await tempDir(closer), 'data');
    const config = configFor(sim, dataDir);
    const data = closer.add(new DataService({ config, adapter: ibAdapter(closer, config.ib) }), (s) =>
      s.close(),
    );
    const result = await data
      .loadData({ symbol: 'EURUSD', timeframe: '1h', start: '2024-03-04', end: '2024-03-09' })
      .then((load) => load.result());
    expect(result.symbol).toBe('EUR.USD');
    expect(result.fetchedBars).toBeGreaterThan(0);
    // The contract IB was asked for: EUR against USD, a CASH pair on IDEALPRO, quoted as BID.
    const request = sim.messages.find((m) => m.name === 'REQ_HISTORICAL_DATA');
    expect(request?.fields).toEqual(expect.arrayContaining(['EUR', 'CASH', 'IDEALPRO', 'USD', 'BID']));
    const files = (await listFolder(dataDir)) ?? [];
    expect(files.filter((file) => file.endsWith('.csv'))).toEqual([
      expect.stringMatching(/(^|\/)EUR\.USD_1h\.csv$/),
    ]);
    // Either spelling reads the same stored series.
    const stored = await data.loadCachedData('EURUSD', '1h');
    expect(stored.frame.length).toBe((await data.loadCachedData('EUR.USD', '1h')).frame.length);
    expect(stored.frame.length).toBeGreaterThan(0);
  });

  it('refuses a crypto pair with a ValidationError that says crypto is not served, asking IB nothing', async () => {
    const sim = await simulator(closer);
    const dataDir = join(await tempDir(closer), 'data');
    const config = configFor(sim, dataDir);
    const data = closer.add(new DataService({ config, adapter: ibAdapter(closer, config.ib) }), (s) =>
      s.close(),
    );
    const error = await Promise.resolve()
      .then(() => data.loadData({ symbol: 'BTCUSD', timeframe: '1h' }).then((load) => load.result()))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toMatchObject({ field: 'symbol', reason: 'crypto' });
    expect(sim.stats.requestsByKind['historical-data'] ?? 0).toBe(0);
    expect(await listFolder(dataDir)).toBeUndefined();
  });
});
