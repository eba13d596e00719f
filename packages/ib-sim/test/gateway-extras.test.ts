/**
 * Requests beyond bars, through the unmodified @stoqey/ib client (event API and IBApiNext): symbol
 * search, historical ticks, option/crypto/bond contract details, and an answer (never silence) for
 * every request the simulator does not implement.
 */
import { EventName, IBApiNextError, OptionType, SecType } from '@stoqey/ib';
import type { Contract, ContractDescription } from '@stoqey/ib';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  NOT_IMPLEMENTED_CODE,
  UNSUPPORTED_MESSAGE_IDS,
  unsupportedName,
} from '../src/server/unsupported-requests';
import type { ClientBar } from './helpers/ib-clients';
import { AAPL, EURUSD, fetchBars, nextError, nextInfo, once, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

describe('symbol search (reqMatchingSymbols -> SYMBOL_SAMPLES)', () => {
  it('finds large caps and ETFs with description and issuerId (event API)', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const answer = once(client.ib, EventName.symbolSamples);
    client.ib.reqMatchingSymbols(7, 'meta');
    const [reqId, samples] = (await answer) as [number, ContractDescription[]];
    expect(reqId).toBe(7);
    expect(samples[0]).toEqual({
      contract: {
        conId: 107113386,
        symbol: 'META',
        secType: 'STK',
        primaryExch: 'NASDAQ',
        currency: 'USD',
        description: 'META PLATFORMS INC-CLASS A',
        issuerId: '',
      },
      derivativeSecTypes: ['CFD', 'OPT', 'IOPT', 'WAR', 'BAG'],
    });
  });

  it('ranks exact symbols first, then prefixes, then names; finds AMC, ETFs, forex and crypto (IBApiNext)', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const am = await api.searchContracts('AM');
    expect(am.map((d) => d.contract?.symbol).slice(0, 3)).toEqual(['AMZN', 'AMD', 'AMC']);
    const amc = await api.searchContracts('AMC');
    expect(amc[0]?.contract).toMatchObject({ symbol: 'AMC', secType: 'STK', primaryExch: 'NYSE' });
    const spdr = await api.searchContracts('spdr');
    expect(spdr.map((d) => d.contract?.symbol)).toEqual(expect.arrayContaining(['SPY', 'DIA', 'GLD']));
    const eur = await api.searchContracts('EUR');
    expect(eur[0]?.contract).toMatchObject({ symbol: 'EUR', secType: 'CASH', currency: 'USD' });
    const btc = await api.searchContracts('BTC');
    expect(btc[0]?.contract).toMatchObject({ symbol: 'BTC', secType: 'CRYPTO', primaryExch: 'PAXOS' });
    expect(await api.searchContracts('NO-SUCH-THING')).toEqual([]);
  });
});

describe('historical ticks (reqHistoricalTicks)', () => {
  const minuteEnd = '20240314 10:05:00 US/Eastern';

  it('serves trades consistent with the minute bars: sizes sum to volume, prices inside the range', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const minutes: ClientBar[] = await fetchBars(client, 1, AAPL, {
      end: minuteEnd,
      duration: '300 S',
      barSize: '1 min',
    });
    expect(minutes).toHaveLength(5);
    const answer = once(client.ib, EventName.historicalTicksLast, ((id: number) => id === 2) as never);
    client.ib.reqHistoricalTicks(
      2,
      AAPL,
      '20240314 10:00:00 US/Eastern',
      '',
      1000,
      'TRADES' as never,
      1,
      false,
    );
    const [, ticks, done] = (await answer) as [
      number,
      { time: number; price: number; size: number; exchange: string }[],
      boolean,
    ];
    expect(done).toBe(true);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.length).toBeLessThanOrEqual(1000);
    expect(ticks[0]?.exchange).toBe('NASDAQ');
    const minuteStart = Date.parse('2024-03-14T14:00:00Z') / 1000;
    for (let m = 0; m < 5; m += 1) {
      const bar = minutes[m] as ClientBar;
      const inMinute = ticks.filter(
        (t) => t.time >= minuteStart + 60 * m && t.time < minuteStart + 60 * (m + 1),
      );
      if (inMinute.length === 0 || (ticks.at(-1)?.time ?? 0) < minuteStart + 60 * (m + 1) - 1) continue;
      expect(inMinute.reduce((sum, t) => sum + Number(t.size), 0)).toBe(bar.volume);
      for (const tick of inMinute) {
        expect(tick.price).toBeGreaterThanOrEqual(bar.low);
        expect(tick.price).toBeLessThanOrEqual(bar.high);
      }
    }
  });

  it('serves bid/ask and midpoint ticks back from an end time (IBApiNext)', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const quotes = await lastValueFrom(api.getHistoricalTicksBidAsk(AAPL, '', minuteEnd, 50, 1, false));
    expect(quotes).toHaveLength(50);
    const last = quotes.at(-1);
    expect(last?.time).toBe(Date.parse('2024-03-14T14:04:59Z') / 1000);
    for (const quote of quotes) expect((quote.priceAsk ?? 0) - (quote.priceBid ?? 0)).toBeCloseTo(0.01, 6);
    const mids = await lastValueFrom(api.getHistoricalTicksMid(EURUSD, '', minuteEnd, 10, 1));
    expect(mids).toHaveLength(10);
    expect(mids.every((tick) => (tick.price ?? 0) > 0.5 && (tick.price ?? 0) < 2)).toBe(true);
  });

  it('answers invalid and impossible tick requests with errors', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    client.ib.reqHistoricalTicks(3, EURUSD, '', minuteEnd, 10, 'TRADES' as never, 1, false);
    expect(await nextError(client, 3)).toMatchObject({ code: 162 });
    client.ib.reqHistoricalTicks(4, AAPL, minuteEnd, minuteEnd, 10, 'TRADES' as never, 1, false);
    expect(await nextError(client, 4)).toMatchObject({ code: 321 });
    client.ib.reqHistoricalTicks(5, AAPL, '', minuteEnd, 10, 'BID' as never, 1, false);
    expect(await nextError(client, 5)).toMatchObject({ code: 321 });
  });
});

describe('contract details beyond stocks, forex and futures', () => {
  it('lists an option chain around the synthetic price, filtered by expiry and right (IBApiNext)', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const [stock] = await api.getContractDetails(AAPL);
    const chain = await api.getContractDetails({ symbol: 'AAPL', secType: SecType.OPT, exchange: 'SMART' });
    expect(chain.length).toBeGreaterThan(40);
    const expiries = [...new Set(chain.map((d) => d.contract.lastTradeDateOrContractMonth))].sort();
    // From Friday 2024-03-15: the next four Fridays and the April-June monthly (third Friday) expiries.
    expect(expiries).toEqual([
      '20240322',
      '20240328',
      '20240405',
      '20240412',
      '20240419',
      '20240517',
      '20240621',
    ]);
    const calls = await api.getContractDetails({
      symbol: 'AAPL',
      secType: SecType.OPT,
      lastTradeDateOrContractMonth: '20240419',
      right: OptionType.Call,
      exchange: 'SMART',
      currency: 'USD',
    });
    const strikes = calls.map((d) => d.contract.strike ?? 0);
    expect(calls.every((d) => d.contract.right === 'C' && d.contract.multiplier === 100)).toBe(true);
    expect(calls[0]?.underConId).toBe(stock?.contract.conId);
    expect(calls[0]?.contract.localSymbol).toMatch(/^AAPL {2}240419C\d{8}$/);
    // Strikes surround the latest synthetic close.
    const history = await api.getHistoricalData(AAPL, '', '5 D', '1 day' as never, 'TRADES' as never, 1, 1);
    const close = history.at(-1)?.close ?? 0;
    expect(Math.min(...strikes)).toBeLessThan(close);
    expect(Math.max(...strikes)).toBeGreaterThan(close);
    // reqSecDefOptParams reports the same expiries and strikes, per exchange.
    const params = await api.getSecDefOptParams('AAPL', '', SecType.STK, stock?.contract.conId ?? 0);
    expect(params.map((p) => p.exchange)).toEqual(['SMART', 'CBOE']);
    expect(params[0]).toMatchObject({ tradingClass: 'AAPL', multiplier: 100, expirations: expiries });
    expect(params[0]?.strikes).toEqual(
      [...new Set(chain.map((d) => d.contract.strike))].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
    expect(await api.getSecDefOptParams('NOPE', '', SecType.STK, 0)).toEqual([]);
  });

  it('answers data requests for these contracts with a labelled simulator error', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const option = {
      symbol: 'AAPL',
      secType: SecType.OPT,
      lastTradeDateOrContractMonth: '20240419',
      strike: 180,
      right: OptionType.Call,
      exchange: 'SMART',
      currency: 'USD',
    };
    client.ib.reqHistoricalData(21, option, '', '1 D', '1 min' as never, 'TRADES' as never, 1, 1, false);
    const error = await nextError(client, 21);
    expect(error).toMatchObject({ code: NOT_IMPLEMENTED_CODE });
    expect(error.message).toContain('[ktrdr IB simulator] data for OPT contracts is not simulated');
  });

  it('describes BTC on PAXOS', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const btc: Contract = { symbol: 'BTC', secType: SecType.CRYPTO, exchange: 'PAXOS', currency: 'USD' };
    const [details] = await api.getContractDetails(btc);
    expect(details?.contract).toMatchObject({ conId: 479624278, secType: 'CRYPTO', exchange: 'PAXOS' });
    expect(details?.longName).toBe('Bitcoin');
  });

  it('answers a bond with BOND_CONTRACT_DATA then CONTRACT_DATA_END (event API)', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const bond = once(client.ib, EventName.bondContractDetails);
    const end = once(client.ib, EventName.contractDetailsEnd);
    client.ib.reqContractDetails(8, {
      symbol: '91282CJJ1',
      secType: SecType.BOND,
      exchange: 'SMART',
      currency: 'USD',
    });
    const [reqId, details] = (await bond) as [number, Record<string, unknown>];
    expect(reqId).toBe(8);
    expect(details).toMatchObject({
      cusip: '91282CJJ1',
      coupon: 4.5,
      maturity: '20331115',
      couponType: 'FIXED',
    });
    expect(String(details['longName'])).toContain('SIMULATED');
    expect(await end).toEqual([8]);
    client.ib.reqContractDetails(9, { symbol: 'NOPE', secType: SecType.BOND });
    expect(await nextError(client, 9)).toMatchObject({ code: 200 });
  });
});

describe('requests the simulator does not implement', () => {
  it('answers each with a labelled error for its reqId, an empty account answer, or nothing for cancels', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    client.ib.reqMktData(11, AAPL, '', false, false);
    const error = await nextError(client, 11);
    expect(error.code).toBe(NOT_IMPLEMENTED_CODE);
    expect(error.message).toContain('[ktrdr IB simulator] REQ_MKT_DATA (1) is not implemented');
    client.ib.reqRealTimeBars(12, AAPL, 5, 'TRADES' as never, true);
    expect(await nextError(client, 12, NOT_IMPLEMENTED_CODE)).toBeDefined();
    const positions = once(client.ib, EventName.positionEnd);
    client.ib.reqPositions();
    await positions;
    const orders = once(client.ib, EventName.openOrderEnd);
    client.ib.reqAllOpenOrders();
    await orders;
    client.ib.reqScannerParameters();
    const info = await nextInfo(client, NOT_IMPLEMENTED_CODE);
    expect(info.message).toContain('REQ_SCANNER_PARAMETERS');
    client.ib.cancelMktData(11);
    expect(sim.stats.requestsByKind.unsupported).toBe(5);
  });

  it('fails an IBApiNext subscription instead of leaving it hanging, and resolves empty account lists', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const pnl = await firstValueFrom(api.getPnL('DU1', '')).catch((e: unknown) => e);
    expect(pnl).toBeInstanceOf(IBApiNextError);
    expect((pnl as IBApiNextError).code).toBe(NOT_IMPLEMENTED_CODE);
    const positions = await firstValueFrom(api.getPositions());
    expect(positions.all.size).toBe(0);
  });
});

describe('the README list of unimplemented requests', () => {
  it('names every message id the simulator answers as unimplemented', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Unimplemented requests'),
      readme.indexOf('## Realism knobs'),
    );
    const missing = UNSUPPORTED_MESSAGE_IDS.filter((id) => !new RegExp(`\\b${id}\\b`).test(section));
    expect(missing.map(unsupportedName)).toEqual([]);
  });
});
