/**
 * The same protocol through @stoqey/ib's IBApiNext (RxJS) API: the promise/observable helpers must
 * resolve or reject exactly as against IB Gateway.
 */
import { BarSizeSetting, IBApiNextError, SecType, WhatToShow } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { IB_SIM_ACCOUNT_ID, IB_SIM_ACCOUNT_PREFIX } from '../src/index';
import { AAPL, ES_M4, EURUSD, MSFT, TEST_NOW, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

describe('IBApiNext against the simulator', () => {
  it('gets current time and managed accounts, identifying the simulator', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    expect(await api.getCurrentTime()).toBe(TEST_NOW.getTime() / 1000);
    const accounts = await api.getManagedAccounts();
    expect(accounts).toEqual([IB_SIM_ACCOUNT_ID]);
    expect(accounts.some((id) => id.startsWith(IB_SIM_ACCOUNT_PREFIX))).toBe(true);
  });

  it('gets contract details for stock, forex and future', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const [stock] = await api.getContractDetails(MSFT);
    expect(stock?.contract.conId).toBe(272093);
    const [forex] = await api.getContractDetails(EURUSD);
    expect(forex?.contract.localSymbol).toBe('EUR.USD');
    const [future] = await api.getContractDetails(ES_M4);
    expect(future?.contract.localSymbol).toBe('ESM4');
    expect(future?.timeZoneId).toBe('US/Central');
  });

  it('gets the head timestamp (and its follow-up cancel is harmless)', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    expect(await api.getHeadTimestamp(AAPL, WhatToShow.TRADES, true, 1)).toBe('19801212-14:30:00');
    await sim.waitForMessage('CANCEL_HEAD_TIMESTAMP');
    expect(await api.getCurrentTime()).toBe(TEST_NOW.getTime() / 1000);
  });

  it('gets historical bars with every field set', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const bars = await api.getHistoricalData(
      AAPL,
      '20240315 16:00:00 US/Eastern',
      '2 D',
      BarSizeSetting.HOURS_ONE,
      WhatToShow.TRADES,
      1,
      1,
    );
    expect(bars).toHaveLength(14);
    expect(bars[0]?.time).toBe('20240314 09:30:00 America/New_York');
    for (const bar of bars) {
      expect(Object.keys(bar).sort()).toEqual([
        'WAP',
        'close',
        'count',
        'high',
        'low',
        'open',
        'time',
        'volume',
      ]);
    }
    const mid = await api.getHistoricalData(
      EURUSD,
      '',
      '1 D',
      BarSizeSetting.HOURS_ONE,
      WhatToShow.MIDPOINT,
      0,
      2,
    );
    expect(mid[0]).not.toHaveProperty('volume');
    expect(mid[0]).not.toHaveProperty('WAP');
  });

  it('rejects with the gateway error code', async () => {
    const sim = await rig.simulator();
    const { api } = rig.connectNext(sim, 1);
    const unknown = api.getHistoricalData(
      { ...AAPL, symbol: 'NOPE' },
      '',
      '1 D',
      BarSizeSetting.HOURS_ONE,
      WhatToShow.TRADES,
      1,
      1,
    );
    await expect(unknown).rejects.toBeInstanceOf(IBApiNextError);
    await expect(unknown).rejects.toMatchObject({ code: 200 });
    const details = api.getContractDetails({
      symbol: 'NOPE',
      secType: SecType.STK,
      exchange: 'SMART',
      currency: 'USD',
    });
    await expect(details).rejects.toMatchObject({ code: 200 });
  });

  it('streams live bar updates and cancels them on unsubscribe', async () => {
    const sim = await rig.simulator({ keepUpToDateIntervalMs: 20 });
    const { api } = rig.connectNext(sim, 1);
    const updates = await new Promise<{ time?: string; close?: number }[]>((resolve, reject) => {
      const seen: { time?: string; close?: number }[] = [];
      const subscription = api
        .getHistoricalDataUpdates(AAPL, BarSizeSetting.MINUTES_FIVE, WhatToShow.TRADES, 1)
        .subscribe({
          next: (bar) => {
            seen.push({ ...bar });
            if (seen.length === 2) {
              subscription.unsubscribe();
              resolve(seen);
            }
          },
          error: reject,
        });
    });
    expect(updates[1]?.time).toBe('20240315 16:30:00 America/New_York');
    expect(updates[1]?.close).toBeGreaterThan(0);
    const cancel = await sim.waitForMessage('CANCEL_HISTORICAL_DATA');
    expect(cancel.fields).toEqual(['25', '1', expect.any(String)]);
  });
});
