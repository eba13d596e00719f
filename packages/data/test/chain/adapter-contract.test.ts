import {
  CancelledError,
  DataUnavailableError,
  type KtrdrError,
  ServiceConnectionError,
  UnknownSymbolError,
  ValidationError,
  serveService,
} from '@ktrdr/core';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsyncDataAdapter } from '../../src/adapter/async-data-adapter';
import type { Timeframe } from '../../src/domain/timeframes';
import { createIbHostService } from '../../src/host-service/create-ib-host-service';
import {
  Closer,
  FIXTURE_BARS,
  FIXTURE_SYMBOL,
  FixtureSource,
  fixtureBarsIn,
  ibAdapter,
  ibSource,
  rowsOf,
  simulator,
} from './chain-fixtures';

/** One way of reaching the IB host-service routes, with hooks into what serves them. */
interface TransportUnderTest {
  adapter: AsyncDataAdapter;
  /** `mode` its health answers report. */
  mode: string;
  /** Historical requests that reached the backend so far. */
  historicalRequests(): number;
  /**
   * Makes the next historical request hang: `started` resolves once the backend holds it,
   * `cancelled` once the backend saw it cancelled.
   */
  stallNext(): { started: Promise<unknown>; cancelled: Promise<unknown> };
}

/** A simulator serving the fixture series, so every transport has the same bars to give. */
async function fixtureSimulator(closer: Closer): Promise<IbSimulator> {
  const sim = await simulator(closer);
  sim.loadBars(
    FIXTURE_SYMBOL,
    FIXTURE_BARS.map((bar) => ({ ...bar, time: new Date(bar.time) })),
  );
  return sim;
}

function simulatorHooks(sim: IbSimulator): Omit<TransportUnderTest, 'adapter' | 'mode'> {
  return {
    historicalRequests: () => sim.stats.requestsByKind['historical-data'],
    stallNext() {
      sim.clearMessages();
      sim.addScriptedFault({
        match: { kind: 'historical-data' },
        action: { type: 'never-answer' },
        times: 1,
      });
      return {
        started: sim.waitForMessage('REQ_HISTORICAL_DATA'),
        cancelled: sim.waitForMessage('CANCEL_HISTORICAL_DATA'),
      };
    },
  };
}

const transports: Record<string, (closer: Closer) => Promise<TransportUnderTest>> = {
  /** The IB host service served over HTTP by core's serveService, its routes over the simulator. */
  async http(closer) {
    const sim = await fixtureSimulator(closer);
    const server = await serveService(createIbHostService(ibSource(closer, sim, { clientId: 21 })));
    closer.add(server, (s) => s.close());
    const adapter = closer.add(new AsyncDataAdapter({ kind: 'http', url: server.url }), (a) => a.close());
    return { adapter, mode: 'http', ...simulatorHooks(sim) };
  },
  /** The host-service routes in-process over the direct IB connection to the simulator. */
  async ib(closer) {
    const sim = await fixtureSimulator(closer);
    return { adapter: ibAdapter(closer, sim, { clientId: 22 }), mode: 'ib', ...simulatorHooks(sim) };
  },
  /** The host-service routes in-process over a user's own source. */
  async 'in-process'(closer) {
    const source = new FixtureSource();
    const adapter = closer.add(new AsyncDataAdapter({ kind: 'in-process', source }), (a) => a.close());
    return {
      adapter,
      mode: 'in-process',
      historicalRequests: () => source.fetches,
      stallNext() {
        const { started, aborted } = source.stallNext();
        return { started, cancelled: aborted };
      },
    };
  },
};

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<KtrdrError> {
  try {
    await promise;
  } catch (error) {
    return error as KtrdrError;
  }
  throw new Error('expected a rejection');
}

/** The AsyncDataAdapter contract: every transport gives the same answers and the same errors. */
function adapterContract(name: string, create: (closer: Closer) => Promise<TransportUnderTest>): void {
  describe(`AsyncDataAdapter over ${name}`, () => {
    const closer = new Closer();
    let t: TransportUnderTest;

    beforeEach(async () => {
      t = await create(closer);
    });
    afterEach(() => closer.closeAll());

    it('fetches exactly the bars of [start, end), labelled simulated', async () => {
      const start = '2024-03-19T00:00:00Z';
      const end = '2024-03-21T00:00:00Z';
      const { frame, simulated } = await t.adapter.fetchHistoricalData(FIXTURE_SYMBOL, '1h', { start, end });
      expect(simulated).toBe(true);
      expect(rowsOf(frame)).toEqual(fixtureBarsIn(start, end));
      expect(frame.length).toBe(12);
    });

    it('keeps every bar of a one-day range that spans two sessions', async () => {
      // Tuesday 15:00 to Wednesday 15:00: five bars of Tuesday afternoon, one of Wednesday morning.
      const start = '2024-03-19T15:00:00Z';
      const end = '2024-03-20T15:00:00Z';
      const { frame } = await t.adapter.fetchHistoricalData(FIXTURE_SYMBOL, '1h', { start, end });
      expect(rowsOf(frame)).toEqual(fixtureBarsIn(start, end));
      expect(frame.length).toBe(6);
    });

    it('answers a closed-market range inside the data with no bars', async () => {
      const { frame } = await t.adapter.fetchHistoricalData(FIXTURE_SYMBOL, '1h', {
        start: '2024-03-23T00:00:00Z',
        end: '2024-03-25T00:00:00Z',
      });
      expect(frame.length).toBe(0);
    });

    it('rejects a range the source has no data for with DataUnavailableError', async () => {
      const error = await rejectionOf(
        t.adapter.fetchHistoricalData(FIXTURE_SYMBOL, '1h', { start: '2024-03-01', end: '2024-03-08' }),
      );
      expect(error).toBeInstanceOf(DataUnavailableError);
      expect(error.code).toBe('data_unavailable');
    });

    it('validates a known symbol with its contract info and head timestamps', async () => {
      const validation = await t.adapter.validateSymbol(FIXTURE_SYMBOL.toLowerCase(), { timeframes: ['1h'] });
      expect(validation).toMatchObject({
        isValid: true,
        errorMessage: null,
        contractInfo: { symbol: FIXTURE_SYMBOL, asset_type: 'STK', currency: 'USD', simulated: true },
        headTimestamps: { '1h': FIXTURE_BARS[0]?.time },
      });
    });

    it('answers an unknown symbol as invalid, not as a failure', async () => {
      const validation = await t.adapter.validateSymbol('ZZZZ', { timeframes: ['1h'] });
      expect(validation.isValid).toBe(false);
      expect(validation.contractInfo).toBeNull();
      expect(validation.headTimestamps).toEqual({});
      expect(validation.errorMessage).toContain('ZZZZ');
    });

    it('gives symbol info, and UnknownSymbolError for an unknown symbol', async () => {
      expect(await t.adapter.getSymbolInfo(FIXTURE_SYMBOL)).toMatchObject({
        symbol: FIXTURE_SYMBOL,
        asset_type: 'STK',
        simulated: true,
      });
      const error = await rejectionOf(t.adapter.getSymbolInfo('ZZZZ'));
      expect(error).toBeInstanceOf(UnknownSymbolError);
      expect(error.code).toBe('unknown_symbol');
    });

    it('gives the head timestamp, and UnknownSymbolError for an unknown symbol', async () => {
      expect(await t.adapter.getHeadTimestamp(FIXTURE_SYMBOL, { timeframe: '1h' })).toBe(
        FIXTURE_BARS[0]?.time,
      );
      const error = await rejectionOf(t.adapter.getHeadTimestamp('ZZZZ'));
      expect(error).toBeInstanceOf(UnknownSymbolError);
      expect(error.code).toBe('unknown_symbol');
    });

    it('rejects bars of an unknown symbol with UnknownSymbolError', async () => {
      const error = await rejectionOf(
        t.adapter.fetchHistoricalData('ZZZZ', '1h', { start: '2024-03-19', end: '2024-03-20' }),
      );
      expect(error).toBeInstanceOf(UnknownSymbolError);
      expect(error.code).toBe('unknown_symbol');
    });

    it('reports health with its transport mode', async () => {
      const health = await t.adapter.healthCheck();
      expect(health).toMatchObject({
        healthy: true,
        service: 'IB host service',
        simulated: true,
        mode: t.mode,
      });
    });

    const range = { start: '2024-03-19', end: '2024-03-20' };
    const badInputs: [string, (adapter: AsyncDataAdapter) => Promise<unknown>, string][] = [
      ['a path-like symbol in a fetch', (a) => a.fetchHistoricalData('../etc', '1h', range), 'symbol'],
      ['a path-like symbol in a validation', (a) => a.validateSymbol('../etc'), 'symbol'],
      ['a path-like symbol in a path parameter', (a) => a.getSymbolInfo('../etc'), 'symbol'],
      ['a path-like symbol in a head-timestamp query', (a) => a.getHeadTimestamp('../etc'), 'symbol'],
      [
        'reversed dates',
        (a) => a.fetchHistoricalData(FIXTURE_SYMBOL, '1h', { start: range.end, end: range.start }),
        'start',
      ],
      [
        'an unknown timeframe',
        (a) => a.fetchHistoricalData(FIXTURE_SYMBOL, '2x' as Timeframe, range),
        'timeframe',
      ],
      [
        'an unknown timeframe in a validation',
        (a) => a.validateSymbol(FIXTURE_SYMBOL, { timeframes: ['1H' as Timeframe] }),
        'timeframes.0',
      ],
      [
        'an unreadable date',
        (a) => a.fetchHistoricalData(FIXTURE_SYMBOL, '1h', { start: 'yesterday', end: range.end }),
        'start',
      ],
    ];
    it.each(badInputs)('rejects %s with ValidationError naming the field', async (_, call, field) => {
      const before = t.historicalRequests();
      const error = await rejectionOf(call(t.adapter));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.code).toBe('validation');
      expect(error.details?.['field']).toBe(field);
      expect(t.historicalRequests()).toBe(before);
    });

    it('rejects with CancelledError before sending anything when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await rejectionOf(
        t.adapter.fetchHistoricalData(FIXTURE_SYMBOL, '1h', { ...range, signal: controller.signal }),
      );
      expect(error).toBeInstanceOf(CancelledError);
      expect(error.code).toBe('cancelled');
      expect(t.historicalRequests()).toBe(0);
    });

    it('cancels a request in flight: CancelledError here, and the backend is told', async () => {
      const stalled = t.stallNext();
      const controller = new AbortController();
      const fetch = t.adapter.fetchHistoricalData(FIXTURE_SYMBOL, '1h', {
        ...range,
        signal: controller.signal,
      });
      fetch.catch(() => undefined);
      await stalled.started;
      controller.abort();
      const error = await rejectionOf(fetch);
      expect(error).toBeInstanceOf(CancelledError);
      expect(error.code).toBe('cancelled');
      await stalled.cancelled;
    });

    it('fails calls after close with ServiceConnectionError', async () => {
      await t.adapter.close();
      const error = await rejectionOf(t.adapter.validateSymbol(FIXTURE_SYMBOL));
      expect(error).toBeInstanceOf(ServiceConnectionError);
      expect(error.code).toBe('connection_failed');
    });
  });
}

for (const [name, create] of Object.entries(transports)) adapterContract(name, create);

describe('AsyncDataAdapter in-process', () => {
  it('closes its data source when closed', async () => {
    const source = new FixtureSource();
    const adapter = new AsyncDataAdapter({ kind: 'in-process', source });
    await adapter.close();
    expect(source.closed).toBe(true);
  });

  it('looks a symbol up as the instrument type it is given', async () => {
    const source = new FixtureSource();
    const adapter = new AsyncDataAdapter({ kind: 'in-process', source });
    const validation = await adapter.validateSymbol(FIXTURE_SYMBOL, { instrumentType: 'FUT' });
    expect(validation.contractInfo?.asset_type).toBe('FUT');
    expect(source.lookups).toEqual(['FUT']);
    await adapter.close();
  });
});
