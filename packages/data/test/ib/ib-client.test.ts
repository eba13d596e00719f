import {
  CancelledError,
  DataUnavailableError,
  RateLimitedError,
  UnknownSymbolError,
  ValidationError,
} from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import { IbConnectionRegistry } from '../../src/ib/connection-registry';
import type { IbContract, IbContractDetails } from '../../src/ib/ib-api-port';
import { IbClient, type IbClientOptions } from '../../src/ib/ib-client';
import { FakeGateway, type FakeSent } from './fake-ib-api';

const registries: IbConnectionRegistry[] = [];

/** A fake gateway that knows AAPL (STK), EUR.USD (CASH) and ES (FUT, two months). */
function setup(options: IbClientOptions = {}) {
  const gateway = new FakeGateway();
  const registry = new IbConnectionRegistry();
  registries.push(registry);
  const failures: Array<(sent: FakeSent) => [number, string] | undefined> = [];
  gateway.onRequest = (sent) =>
    setImmediate(() => {
      const api = sent.api;
      const failure = failures.map((f) => f(sent)).find((f) => f !== undefined);
      if (failure !== undefined) {
        api.emit('error', new Error(failure[1]), failure[0], sent.reqId);
        return;
      }
      const contract = sent.args[0] as IbContract;
      switch (sent.type) {
        case 'reqContractDetails': {
          for (const details of knownDetails(contract)) api.emit('contractDetails', sent.reqId, details);
          if (knownDetails(contract).length === 0) {
            api.emit(
              'error',
              new Error('No security definition has been found for the request'),
              200,
              sent.reqId,
            );
          } else api.emit('contractDetailsEnd', sent.reqId);
          return;
        }
        case 'reqHistoricalData': {
          const barSize = sent.args[3] as string;
          const times = barSize === '1 day' ? ['20240301', '20240304'] : ['1709303400', '1709303460'];
          for (const time of times) api.emit('historicalData', sent.reqId, time, 10, 11, 9, 10.5, -1);
          api.emit('historicalData', sent.reqId, 'finished-x-y', -1, -1, -1, -1, -1);
          return;
        }
        case 'reqHeadTimestamp':
          api.emit('headTimestamp', sent.reqId, '345427200');
          return;
        case 'reqCurrentTime':
          api.emit('currentTime', 1_709_303_400);
          return;
      }
    });
  const client = new IbClient({
    registry,
    createApi: gateway.factory,
    idleCloseMs: false,
    pacing: { timeScale: 1_000, minIntervalMs: 0, safetyMargin: { ratio: 0, ms: 1 } },
    random: () => 0,
    ...options,
  });
  return { gateway, registry, client, failures };
}

function knownDetails(contract: IbContract): IbContractDetails[] {
  const key = `${contract.secType}:${contract.symbol}@${contract.exchange}`;
  switch (key) {
    case 'STK:AAPL@SMART':
      return [
        {
          contract: {
            symbol: 'AAPL',
            secType: 'STK',
            conId: 265598,
            exchange: 'SMART',
            primaryExch: 'NASDAQ',
            currency: 'USD',
          },
          longName: 'APPLE INC',
        },
      ];
    case 'CASH:EUR@IDEALPRO':
      return [
        {
          contract: {
            symbol: 'EUR',
            secType: 'CASH',
            conId: 12087792,
            exchange: 'IDEALPRO',
            currency: 'USD',
            localSymbol: 'EUR.USD',
          },
        },
      ];
    case 'FUT:ES@CME':
      return ['20991218', '20990918'].map((ltd, i) => ({
        contract: {
          symbol: 'ES',
          secType: 'FUT',
          conId: 100 + i,
          exchange: 'CME',
          currency: 'USD',
          lastTradeDateOrContractMonth: ltd,
          multiplier: 50,
        },
      }));
    default:
      return [];
  }
}

const END = new Date('2024-03-02T00:00:00Z');

afterEach(() => {
  for (const registry of registries.splice(0)) registry.closeAll();
});

describe('IbClient over a fake gateway', () => {
  it('fetches stock bars with SMART/USD, TRADES, a UTC end and epoch times', async () => {
    const { gateway, client } = setup();
    const result = await client.fetchHistoricalBars({
      symbol: 'aapl',
      instrumentType: 'stock',
      timeframe: '1m',
      end: END,
      duration: { days: 1 },
    });
    expect(result.simulated).toBe(true);
    expect(result.bars).toEqual([
      { time: Date.UTC(2024, 2, 1, 14, 30), open: 10, high: 11, low: 9, close: 10.5, volume: 0 },
      { time: Date.UTC(2024, 2, 1, 14, 31), open: 10, high: 11, low: 9, close: 10.5, volume: 0 },
    ]);
    const [sent] = gateway.sentOf('reqHistoricalData');
    expect(sent?.args).toEqual([
      { symbol: 'AAPL', secType: 'STK', currency: 'USD', exchange: 'SMART' },
      '20240302-00:00:00',
      '1 D',
      '1 min',
      'TRADES',
      0,
      2,
      false,
    ]);
    expect(gateway.sentOf('reqContractDetails')).toHaveLength(0); // a known stock needs no lookup
  });

  it('reads daily bars (yyyyMMdd) as UTC midnight', async () => {
    const { client } = setup();
    const { bars } = await client.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1d',
      end: END,
      duration: '1 M',
    });
    expect(bars.map((b) => b.time)).toEqual([Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 4)]);
  });

  it('asks for BID bars of forex on IDEALPRO', async () => {
    const { gateway, client } = setup();
    await client.fetchHistoricalBars({
      symbol: 'EUR.USD',
      instrumentType: 'forex',
      barSize: '1 hour',
      end: END,
      duration: '5 D',
    });
    const [sent] = gateway.sentOf('reqHistoricalData');
    expect(sent?.args[0]).toEqual({ symbol: 'EUR', secType: 'CASH', currency: 'USD', exchange: 'IDEALPRO' });
    expect(sent?.args[4]).toBe('BID');
  });

  it('resolves a future to its front contract and requests bars by conId', async () => {
    const { gateway, client } = setup();
    const details = await client.getContractDetails('ES', 'FUT');
    expect(details).toMatchObject({
      instrumentType: 'FUT',
      conId: 101,
      lastTradeDateOrContractMonth: '20990918',
      simulated: true,
    });
    await client.fetchHistoricalBars({
      symbol: 'ES',
      instrumentType: 'FUT',
      timeframe: '1h',
      end: END,
      duration: '5 D',
    });
    expect(gateway.sentOf('reqHistoricalData')[0]?.args[0]).toMatchObject({
      conId: 101,
      exchange: 'CME',
      lastTradeDateOrContractMonth: '20990918',
    });
    expect(gateway.sentOf('reqContractDetails')).toHaveLength(1); // cached
  });

  it('looks an untyped symbol up as CASH, STK, then FUT, and caches the answer', async () => {
    const { gateway, client } = setup();
    expect((await client.getContractDetails('EUR.USD')).instrumentType).toBe('CASH');
    expect((await client.getContractDetails('AAPL')).instrumentType).toBe('STK');
    expect((await client.getContractDetails('ES')).instrumentType).toBe('FUT');
    expect(gateway.sentOf('reqContractDetails').map((s) => (s.args[0] as IbContract).secType)).toEqual([
      'CASH',
      'STK',
      'STK',
      'FUT',
    ]);
    await client.getContractDetails('ES');
    await client.getContractDetails('ES', 'futures');
    expect(gateway.sentOf('reqContractDetails')).toHaveLength(4);
  });

  it('shares one lookup between concurrent callers', async () => {
    const { gateway, client } = setup();
    await Promise.all([
      client.getContractDetails('AAPL'),
      client.getContractDetails('AAPL'),
      client.getContractDetails('AAPL'),
    ]);
    expect(gateway.sentOf('reqContractDetails')).toHaveLength(1);
  });

  it('throws UnknownSymbolError naming what was tried', async () => {
    const { client } = setup();
    const lookup = client.getContractDetails('NOPE');
    await expect(lookup).rejects.toBeInstanceOf(UnknownSymbolError);
    await expect(lookup).rejects.toThrow(/STK, FUT@CME, FUT@GLOBEX/);
  });

  it('retries a pacing violation after a backoff and counts it', async () => {
    const { client, failures, gateway } = setup();
    let violations = 1;
    failures.push((sent) =>
      sent.type === 'reqHistoricalData' && violations-- > 0
        ? [162, 'Historical Market Data Service error message:Historical data request pacing violation']
        : undefined,
    );
    const { bars } = await client.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1m',
      end: END,
      duration: '1 D',
    });
    expect(bars).toHaveLength(2);
    expect(gateway.sentOf('reqHistoricalData')).toHaveLength(2);
    expect(client.status().pacing).toMatchObject({ violations: 1, retries: 1 });
  });

  // The practical policy (the default) never gives up on a 1-minute request: see the next test.
  it('gives up with RateLimitedError after maxPacingAttempts (strict policy)', async () => {
    const { client, failures, gateway } = setup({ maxPacingAttempts: 2 });
    failures.push((sent) =>
      sent.type === 'reqHistoricalData'
        ? [162, 'Historical Market Data Service error message:Historical data request pacing violation']
        : undefined,
    );
    const fetch = client.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1m',
      end: END,
      duration: '1 D',
      pacing: 'strict',
    });
    await expect(fetch).rejects.toBeInstanceOf(RateLimitedError);
    await expect(fetch).rejects.toSatisfy((e: RateLimitedError) => (e.retryAfterMs ?? 0) > 0);
    expect(gateway.sentOf('reqHistoricalData')).toHaveLength(2);
    expect(client.status().pacing).toMatchObject({ violations: 2, retries: 1 });
  });

  it('practical policy: retries a 1-minute request through any number of pacing violations, and the throttle backs off', async () => {
    const { client, failures, gateway } = setup({ maxPacingAttempts: 2 });
    let violations = 5;
    failures.push((sent) =>
      sent.type === 'reqHistoricalData' && violations-- > 0
        ? [162, 'Historical Market Data Service error message:Historical data request pacing violation']
        : undefined,
    );
    const { bars } = await client.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1m',
      end: END,
      duration: '1 D',
    });
    expect(bars).toHaveLength(2);
    expect(gateway.sentOf('reqHistoricalData')).toHaveLength(6);
    expect(client.status().pacing).toMatchObject({ profile: 'practical', violations: 5, retries: 5 });
    expect(client.status().pacing.throttleBackoffs).toBeGreaterThan(0);
  });

  it('maps "no data" to DataUnavailableError without retrying', async () => {
    const { client, failures, gateway } = setup();
    failures.push((sent) =>
      sent.type === 'reqHistoricalData'
        ? [162, 'Historical Market Data Service error message:HMDS query returned no data: AAPL@SMART Trades']
        : undefined,
    );
    await expect(
      client.fetchHistoricalBars({
        symbol: 'AAPL',
        instrumentType: 'STK',
        timeframe: '1m',
        end: END,
        duration: '1 D',
      }),
    ).rejects.toBeInstanceOf(DataUnavailableError);
    expect(gateway.sentOf('reqHistoricalData')).toHaveLength(1);
  });

  it.each([
    [{ timeframe: '7m' }, 'timeframe'],
    [{ timeframe: '1m', barSize: '1 min' }, 'timeframe'],
    [{ timeframe: '1m', duration: '3 days' }, 'duration'],
    [{ timeframe: '1m', end: new Date('x') }, 'end'],
    [{ timeframe: '1m', whatToShow: 'PRICES' }, 'whatToShow'],
    [{ timeframe: '1m', symbol: '../x' }, 'symbol'],
    [{ timeframe: '1m', instrumentType: 'bond' }, 'instrumentType'],
  ])('rejects %j with ValidationError (field %s) before touching the network', async (override, field) => {
    const { client, gateway } = setup();
    const fetch = client.fetchHistoricalBars({
      symbol: 'AAPL',
      end: END,
      duration: '1 D',
      ...override,
    } as never);
    await expect(fetch).rejects.toBeInstanceOf(ValidationError);
    await expect(fetch).rejects.toSatisfy((e: ValidationError) => e.details['field'] === field);
    expect(gateway.apis).toHaveLength(0);
  });

  it('returns the head timestamp, caches it, and cancels the head-timestamp query afterwards', async () => {
    const { client, gateway } = setup();
    const first = await client.getHeadTimestamp('AAPL', { instrumentType: 'STK' });
    expect(first).toEqual({ timestamp: new Date(345_427_200_000), simulated: true });
    await client.getHeadTimestamp('AAPL', { instrumentType: 'STK' });
    expect(gateway.sentOf('reqHeadTimestamp')).toHaveLength(1);
    expect(gateway.sentOf('reqHeadTimestamp')[0]?.args.slice(1)).toEqual(['TRADES', false, 2]);
    expect(gateway.sentOf('cancelHeadTimestamp').map((s) => s.reqId)).toEqual([
      gateway.sentOf('reqHeadTimestamp')[0]?.reqId,
    ]);
  });

  it('returns the server time', async () => {
    const { client } = setup();
    expect(await client.getCurrentTime()).toEqual({ time: new Date(1_709_303_400_000), simulated: true });
  });

  it('shares one connection per host/port/client id and closes it with the last client', async () => {
    const { client, registry, gateway } = setup();
    const second = new IbClient({ registry, createApi: gateway.factory });
    const other = new IbClient({ registry, createApi: gateway.factory, clientId: 9 });
    await Promise.all([client.getCurrentTime(), second.getCurrentTime()]);
    expect(gateway.apis).toHaveLength(1);
    expect(client.status()).toMatchObject({
      connectionCount: 2,
      connected: true,
      host: '127.0.0.1',
      port: 4002,
      clientId: 1,
    });
    client.close();
    expect(second.status().connected).toBe(true);
    second.close();
    other.close();
    expect(registry.size).toBe(0);
    expect(gateway.apis[0]?.disconnectCalls).toBe(1);
    await expect(client.getCurrentTime()).rejects.toBeInstanceOf(CancelledError);
  });

  it('cancels a request whose signal aborts while it waits for pacing', async () => {
    const { client, gateway } = setup({ pacing: { limits: { maxOpenRequests: 1 }, minIntervalMs: 0 } });
    gateway.onRequest = () => undefined; // never answers: the first request holds the only slot
    const first = client.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1m',
      end: END,
      duration: '1 D',
      timeoutMs: 60_000,
    });
    first.catch(() => undefined);
    const controller = new AbortController();
    const second = client.fetchHistoricalBars({
      symbol: 'MSFT',
      instrumentType: 'STK',
      timeframe: '1m',
      end: END,
      duration: '1 D',
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.status().pacing.waiting).toBe(1);
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    expect(gateway.sentOf('reqHistoricalData')).toHaveLength(1);
  });
});
