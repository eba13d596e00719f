/**
 * `searchSymbols` end to end: the data adapter, in-process over the direct IB connection and over
 * HTTP through the IB host service, both against the simulator's reqMatchingSymbols.
 */
import { NotFoundError, ValidationError, serveService } from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncDataAdapter } from '../../src/adapter/async-data-adapter';
import { createIbHostService } from '../../src/host-service/create-ib-host-service';
import { Closer, FixtureSource, ibAdapter, ibSource, simulator } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

async function adapters(): Promise<Record<string, AsyncDataAdapter>> {
  const sim = await simulator(closer);
  const server = await serveService(createIbHostService(ibSource(closer, sim, { clientId: 31 })));
  closer.add(server, (s) => s.close());
  return {
    'in-process': ibAdapter(closer, sim, { clientId: 32 }),
    http: closer.add(new AsyncDataAdapter({ kind: 'http', url: server.url }), (a) => a.close()),
  };
}

describe('searchSymbols', () => {
  it.each(['in-process', 'http'])(
    'finds symbols by symbol and name (%s), labelled simulated',
    async (kind) => {
      const adapter = (await adapters())[kind] as AsyncDataAdapter;
      const meta = await adapter.searchSymbols('meta');
      expect(meta.simulated).toBe(true);
      expect(meta.matches[0]).toEqual({
        symbol: 'META',
        sec_type: 'STK',
        primary_exchange: 'NASDAQ',
        currency: 'USD',
        con_id: 107113386,
        description: 'META PLATFORMS INC-CLASS A',
        derivative_sec_types: ['CFD', 'OPT', 'IOPT', 'WAR', 'BAG'],
      });
      const etfs = await adapter.searchSymbols('ishares');
      expect(etfs.matches.map((m) => m.symbol)).toEqual(['IWM', 'TLT']);
      expect((await adapter.searchSymbols('zzzzzz')).matches).toEqual([]);
      await expect(adapter.searchSymbols('   ')).rejects.toBeInstanceOf(ValidationError);
    },
  );

  it('answers 404 from a source without a symbol search', async () => {
    const server = await serveService(createIbHostService(new FixtureSource()));
    closer.add(server, (s) => s.close());
    const adapter = closer.add(new AsyncDataAdapter({ kind: 'http', url: server.url }), (a) => a.close());
    await expect(adapter.searchSymbols('AAPL')).rejects.toBeInstanceOf(NotFoundError);
  });
});
