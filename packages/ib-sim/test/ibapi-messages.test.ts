/**
 * Every message type through @stoqey/ib's event API (IBApi) over real TCP: start-up, current time,
 * ids, accounts, contract details, head timestamps, historical data in all formats, live updates,
 * cancellation, and every error the simulator sends. Any 505 from the client fails the test.
 */
import { EventName, SecType } from '@stoqey/ib';
import type { BarSizeSetting, ContractDetails, WhatToShow } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { IB_SIM_ACCOUNT_ID, IbErrorCode, IbErrorText } from '../src/index';
import type { ApiClient } from './helpers/ib-clients';
import {
  AAPL,
  ES_M4,
  EURUSD,
  fetchBars,
  nextError,
  nextInfo,
  once,
  requestBars,
  TEST_NOW,
  TestRig,
} from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

function contractDetails(client: ApiClient, reqId: number, contract: object): Promise<ContractDetails[]> {
  const details: ContractDetails[] = [];
  const onDetails = (id: number, d: ContractDetails): void => {
    if (id === reqId) details.push(d);
  };
  client.ib.on(EventName.contractDetails, onDetails);
  const done = once(client.ib, EventName.contractDetailsEnd, ((id: number) => id === reqId) as never).then(
    () => {
      client.ib.off(EventName.contractDetails, onDetails);
      return details;
    },
  );
  client.ib.reqContractDetails(reqId, contract);
  return done;
}

describe('start-up and simple requests (IBApi)', () => {
  it('announces the simulator account, the next valid id and the farm status infos', async () => {
    const sim = await rig.simulator();
    const client = rig.api(sim);
    const accounts = once(client.ib, EventName.managedAccounts);
    const server = once(client.ib, EventName.server);
    const ready = once(client.ib, EventName.nextValidId);
    client.ib.connect(11);
    expect(await accounts).toEqual([IB_SIM_ACCOUNT_ID]);
    expect((await server)[0]).toBe(193);
    expect(await ready).toEqual([1]);
    await nextInfo(client, 2158);
    expect(client.infos.map((i) => i.code)).toEqual([2104, 2106, 2158]);
    expect(client.errors).toEqual([]);
  });

  it('answers current time, reqIds and reqManagedAccts', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const time = once(client.ib, EventName.currentTime);
    client.ib.reqCurrentTime();
    expect(await time).toEqual([TEST_NOW.getTime() / 1000]);
    const ids = once(client.ib, EventName.nextValidId);
    client.ib.reqIds(1);
    expect(await ids).toEqual([1]);
    const accounts = once(client.ib, EventName.managedAccounts);
    client.ib.reqManagedAccts();
    expect(await accounts).toEqual([IB_SIM_ACCOUNT_ID]);
    client.ib.setServerLogLevel(3);
    expect(sim.stats.requestsByKind['current-time']).toBe(1);
  });
});

describe('contract details (IBApi)', () => {
  it('describes a US stock with its time zone, trading and liquid hours', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const [details] = await contractDetails(client, 3, AAPL);
    expect(details?.contract).toMatchObject({
      symbol: 'AAPL',
      secType: 'STK',
      conId: 265598,
      primaryExch: 'NASDAQ',
    });
    expect(details).toMatchObject({
      longName: 'APPLE INC',
      timeZoneId: 'US/Eastern',
      minTick: 0.01,
      stockType: 'COMMON',
    });
    expect(details?.secIdList).toEqual([{ tag: 'ISIN', value: 'US0378331005' }]);
    // Friday 2024-03-15, then the weekend, then Monday.
    expect(details?.tradingHours?.split(';').slice(0, 4)).toEqual([
      '20240315:0400-20240315:2000',
      '20240316:CLOSED',
      '20240317:CLOSED',
      '20240318:0400-20240318:2000',
    ]);
    expect(details?.liquidHours?.split(';')[0]).toBe('20240315:0930-20240315:1600');
  });

  it('describes forex with IDEALPRO hours opening Sunday 17:00 New York', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const [details] = await contractDetails(client, 4, EURUSD);
    expect(details?.contract).toMatchObject({
      symbol: 'EUR',
      secType: 'CASH',
      currency: 'USD',
      localSymbol: 'EUR.USD',
    });
    expect(details?.minTick).toBe(0.00005);
    expect(details?.tradingHours?.split(';').slice(0, 3)).toEqual([
      '20240314:1700-20240315:1700',
      '20240316:CLOSED',
      '20240317:1700-20240318:1700',
    ]);
  });

  it('lists quarterly futures with expiry, multiplier and Chicago hours with the daily break', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const list = await contractDetails(client, 5, {
      symbol: 'ES',
      secType: SecType.FUT,
      exchange: 'CME',
      currency: 'USD',
    });
    expect(list.map((d) => d.contract.localSymbol)).toEqual(['ESH4', 'ESM4', 'ESU4', 'ESZ4']);
    const [march] = list;
    expect(march?.contract).toMatchObject({
      lastTradeDateOrContractMonth: '20240315',
      multiplier: 50,
      exchange: 'CME',
    });
    expect(march).toMatchObject({
      timeZoneId: 'US/Central',
      contractMonth: '202403',
      realExpirationDate: '20240315',
    });
    expect(march?.tradingHours?.split(';')[0]).toBe('20240314:1700-20240315:1600');
    expect(march?.liquidHours?.split(';')[0]).toBe('20240315:0830-20240315:1500');
    const [june] = await contractDetails(client, 6, ES_M4);
    expect(june?.contract.conId).toBe(list[1]?.contract.conId);
  });

  it('answers unknown contracts with 200', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    client.ib.reqContractDetails(7, {
      symbol: 'NOPE',
      secType: SecType.STK,
      exchange: 'SMART',
      currency: 'USD',
    });
    const error = await nextError(client, 7);
    expect(error).toMatchObject({
      code: 200,
      message: 'No security definition has been found for the request',
    });
  });
});

describe('head timestamp (IBApi)', () => {
  it('returns the first bar in UTC text (formatDate 1) or epoch seconds (formatDate 2)', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const text = once(client.ib, EventName.headTimestamp, ((id: number) => id === 8) as never);
    client.ib.reqHeadTimestamp(8, AAPL, 'TRADES' as WhatToShow, true, 1);
    expect(await text).toEqual([8, '19801212-14:30:00']);
    const extended = once(client.ib, EventName.headTimestamp, ((id: number) => id === 9) as never);
    client.ib.reqHeadTimestamp(9, AAPL, 'TRADES' as WhatToShow, false, 2);
    expect(await extended).toEqual([9, String(Date.UTC(1980, 11, 12, 9, 0) / 1000)]);
  });

  it('has no TRADES for forex (162 no data)', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    client.ib.reqHeadTimestamp(10, EURUSD, 'TRADES' as WhatToShow, true, 1);
    expect((await nextError(client, 10)).message).toContain(
      'HMDS query returned no data: EUR@IDEALPRO Trades',
    );
  });
});

describe('historical data (IBApi)', () => {
  it('serves intraday bars with formatDate 1 in the exchange zone and the finished marker', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const result = await requestBars(client, 20, AAPL, {
      end: '20240315 16:00:00 US/Eastern',
      duration: '1 D',
      barSize: '1 hour',
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.bars.map((b) => b.time)).toEqual([
      '20240315 09:30:00 America/New_York',
      '20240315 10:00:00 America/New_York',
      '20240315 11:00:00 America/New_York',
      '20240315 12:00:00 America/New_York',
      '20240315 13:00:00 America/New_York',
      '20240315 14:00:00 America/New_York',
      '20240315 15:00:00 America/New_York',
    ]);
    expect(result.end).toBe('finished-20240315 09:30:00 America/New_York-20240315 16:00:00 America/New_York');
    for (const bar of result.bars) {
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.volume).toBeGreaterThan(0);
      expect(bar.count).toBeGreaterThan(0);
      expect(bar.wap).toBeGreaterThanOrEqual(bar.low);
      expect(bar.wap).toBeLessThanOrEqual(bar.high);
    }
    expect(sim.stats.barsServed).toBe(7);
  });

  it('prints epoch seconds with formatDate 2 and yyyyMMdd for daily bars', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const epoch = await fetchBars(client, 21, AAPL, {
      end: '20240315-20:00:00',
      duration: '1800 S',
      barSize: '30 mins',
      formatDate: 2,
    });
    expect(epoch.map((b) => b.time)).toEqual([String(Date.UTC(2024, 2, 15, 19, 30) / 1000)]);
    const daily = await fetchBars(client, 22, AAPL, { duration: '1 W', barSize: '1 day', formatDate: 2 });
    expect(daily.map((b) => b.time)).toEqual(['20240311', '20240312', '20240313', '20240314', '20240315']);
  });

  it('serves MIDPOINT, BID and ASK with -1 volume, WAP and count, bid below ask', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const request = { end: '20240315 12:00:00 US/Eastern', duration: '1800 S', barSize: '5 mins' };
    const [bid, ask, mid] = await Promise.all([
      fetchBars(client, 23, EURUSD, { ...request, whatToShow: 'BID' }),
      fetchBars(client, 24, EURUSD, { ...request, whatToShow: 'ASK' }),
      fetchBars(client, 25, EURUSD, { ...request, whatToShow: 'MIDPOINT' }),
    ]);
    expect(bid).toHaveLength(6);
    for (let i = 0; i < bid.length; i += 1) {
      expect(bid[i]?.close).toBeLessThan(ask[i]?.close ?? 0);
      expect(mid[i]?.close).toBeCloseTo(((bid[i]?.close ?? 0) + (ask[i]?.close ?? 0)) / 2, 8);
      expect([bid[i]?.volume, bid[i]?.wap, bid[i]?.count]).toEqual([-1, -1, -1]);
    }
  });

  it('warns 2174 for an end date without time zone and reads it as UTC', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const bars = await fetchBars(client, 26, AAPL, {
      end: '20240315 15:00:00',
      duration: '3600 S',
      barSize: '30 mins',
    });
    expect((await nextError(client, 26, IbErrorCode.NO_EXPLICIT_TIME_ZONE)).message).toContain('Warning:');
    // 15:00 UTC is 11:00 New York.
    expect(bars.map((b) => b.time)).toEqual([
      '20240315 10:00:00 America/New_York',
      '20240315 10:30:00 America/New_York',
    ]);
  });

  it('streams HISTORICAL_DATA_UPDATE for keepUpToDate until cancelled, then confirms the cancel', async () => {
    const sim = await rig.simulator({ keepUpToDateIntervalMs: 20 });
    const client = await rig.connectApi(sim, 1);
    const initial = once(
      client.ib,
      EventName.historicalData,
      ((id: number, time: string) => id === 27 && time.startsWith('finished')) as never,
    );
    const update = once(client.ib, EventName.historicalDataUpdate, ((id: number) => id === 27) as never);
    client.ib.reqHistoricalData(
      27,
      AAPL,
      '',
      '1 D',
      '5 mins' as BarSizeSetting,
      'TRADES' as WhatToShow,
      0,
      1,
      true,
    );
    await initial;
    const [, time, open, high, low, close, volume] = await update;
    expect(time).toBe('20240315 16:30:00 America/New_York');
    expect(Number(high)).toBeGreaterThanOrEqual(Math.max(Number(open), Number(close)));
    expect(Number(low)).toBeLessThanOrEqual(Math.min(Number(open), Number(close)));
    expect(Number(volume)).toBeGreaterThan(0);
    client.ib.cancelHistoricalData(27);
    const cancelled = await nextError(client, 27, 162);
    expect(cancelled.message).toBe(
      'Historical Market Data Service error message:API historical data query cancelled: 27',
    );
    client.ib.cancelHistoricalData(27);
    expect((await nextError(client, 27, 366)).message).toBe(
      'No historical data query found for ticker id:27',
    );
  });

  it('rejects keepUpToDate with an explicit end date', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    client.ib.reqHistoricalData(
      28,
      AAPL,
      '20240315-20:00:00',
      '1 D',
      '5 mins' as BarSizeSetting,
      'TRADES' as WhatToShow,
      1,
      1,
      true,
    );
    expect((await nextError(client, 28)).code).toBe(321);
  });

  it('sends the documented errors: 200, 321, 10314, 162 over-long, 162 no data', async () => {
    const sim = await rig.simulator({ pacing: 'strict' });
    const client = await rig.connectApi(sim, 1);
    const unknown = await requestBars(
      client,
      30,
      { ...AAPL, symbol: 'ZZZZ' },
      { duration: '1 D', barSize: '1 min' },
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 200 } });
    const badSize = await requestBars(client, 31, AAPL, { duration: '1 D', barSize: '7 mins' });
    expect(badSize).toMatchObject({ ok: false, error: { code: 321 } });
    if (!badSize.ok) expect(badSize.error.message).toContain("Error validating request.-'bK'");
    const badDuration = await requestBars(client, 32, AAPL, { duration: '1D', barSize: '1 min' });
    expect(badDuration).toMatchObject({ ok: false, error: { code: 321 } });
    const badEnd = await requestBars(client, 33, AAPL, {
      end: '2024-03-15',
      duration: '1 D',
      barSize: '1 min',
    });
    expect(badEnd).toMatchObject({ ok: false, error: { code: 10314 } });
    const tooLong = await requestBars(client, 34, AAPL, { duration: '1 Y', barSize: '30 secs' });
    expect(tooLong).toMatchObject({
      ok: false,
      error: { code: 162, message: 'Historical Market Data Service error message:Time length exceed max.' },
    });
    const beforeHead = await requestBars(client, 35, AAPL, {
      end: '19700105 16:00:00 US/Eastern',
      duration: '1 W',
      barSize: '1 day',
    });
    expect(beforeHead).toMatchObject({
      ok: false,
      error: {
        code: 162,
        message:
          'Historical Market Data Service error message:HMDS query returned no data: AAPL@SMART Trades',
      },
    });
    const forexTrades = await requestBars(client, 36, EURUSD, { duration: '1 D', barSize: '1 hour' });
    expect(forexTrades).toMatchObject({ ok: false, error: { code: 162 } });
    expect(sim.stats.durationViolations).toBe(1);
    expect(sim.stats.errorsSent).toBe(7);
  });

  it('applies the practical duration limits by default (1-minute bars: 5 D yes, 6 D no)', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    expect(await fetchBars(client, 37, AAPL, { duration: '5 D', barSize: '1 min' })).toHaveLength(5 * 390);
    const refused = await requestBars(client, 38, AAPL, { duration: '6 D', barSize: '1 min' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 162, message: IbErrorText.timeLengthExceeded },
    });
    const huge = await requestBars(client, 39, AAPL, { duration: '99999999 Y', barSize: '1 month' });
    expect(huge).toMatchObject({ ok: false, error: { code: 162 } });
  });

  it('serves a dated future only up to its expiry, and refuses an ambiguous future', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const march = await fetchBars(
      client,
      40,
      { ...ES_M4, lastTradeDateOrContractMonth: '202403' },
      {
        end: '20240320 12:00:00 US/Central',
        duration: '1 W',
        barSize: '1 day',
      },
    );
    expect(march.at(-1)?.time).toBe('20240315');
    const ambiguous = await requestBars(
      client,
      41,
      { symbol: 'ES', secType: SecType.FUT, exchange: 'CME' },
      {
        duration: '1 D',
        barSize: '1 hour',
      },
    );
    expect(ambiguous).toMatchObject({ ok: false, error: { code: 200 } });
  });

  it('speaks an older negotiated server version (176) without decoding errors', async () => {
    const sim = await rig.simulator({ serverVersion: 176 });
    const client = await rig.connectApi(sim, 1);
    const [details] = await contractDetails(client, 50, AAPL);
    expect(details?.contract.conId).toBe(265598);
    expect(await fetchBars(client, 51, AAPL, { duration: '1 D', barSize: '1 hour' })).toHaveLength(7);
    client.ib.reqHistoricalData(
      52,
      AAPL,
      '',
      '1 D',
      '7 mins' as BarSizeSetting,
      'TRADES' as WhatToShow,
      1,
      1,
      false,
    );
    expect((await nextError(client, 52)).code).toBe(321);
  });
});
