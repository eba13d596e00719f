/**
 * IB's four historical-data pacing rules, each answered with 162 "pacing violation", driven by the
 * unmodified IBApi client. `timeScale` shrinks the windows so the suite stays fast.
 */
import type { BarSizeSetting, WhatToShow } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { IbErrorText } from '../src/index';
import type { ApiClient, BarsResult } from './helpers/ib-clients';
import { AAPL, MSFT, requestBars, sleep, SPY, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PACING = { code: 162, message: IbErrorText.pacingViolation };

function isViolation(result: BarsResult): boolean {
  return !result.ok && result.error.code === PACING.code && result.error.message === PACING.message;
}

/** Sends requests back to back (the client paces itself at 40/s) and waits for every answer. */
function burst(
  client: ApiClient,
  firstReqId: number,
  requests: readonly Parameters<typeof requestBars>[2][],
  make: (i: number) => Parameters<typeof requestBars>[3],
): Promise<BarsResult[]> {
  return Promise.all(requests.map((contract, i) => requestBars(client, firstReqId + i, contract, make(i))));
}

describe('pacing rules (strict)', () => {
  it('refuses an identical request within 15 s, and accepts it once the window has passed', async () => {
    const sim = await rig.simulator({ pacing: 'strict', timeScale: 60 }); // 15 s -> 250 ms
    const client = await rig.connectApi(sim, 1);
    const request = { end: '20240314 16:00:00 US/Eastern', duration: '1 D', barSize: '1 hour' };
    const [first, second] = await Promise.all([
      requestBars(client, 1, AAPL, request),
      requestBars(client, 2, AAPL, request),
    ]);
    expect(first.ok).toBe(true);
    expect(isViolation(second)).toBe(true);
    await sleep(300);
    expect((await requestBars(client, 3, AAPL, request)).ok).toBe(true);
    expect(sim.stats.violationsByRule['identical-request']).toBe(1);
  });

  it('refuses the sixth request for one contract and tick type within 2 s', async () => {
    const sim = await rig.simulator({ pacing: 'strict' });
    const client = await rig.connectApi(sim, 1);
    const results = await burst(client, 10, [AAPL, AAPL, AAPL, AAPL, AAPL, AAPL, MSFT], (i) => ({
      duration: `${i + 1} D`,
      barSize: '1 day',
    }));
    expect(results.map(isViolation)).toEqual([false, false, false, false, false, true, false]);
    // Another tick type of the same contract is a different stream.
    expect(
      (await requestBars(client, 20, AAPL, { duration: '1 D', barSize: '1 day', whatToShow: 'BID' })).ok,
    ).toBe(true);
    expect(sim.stats.violationsByRule['same-contract-burst']).toBe(1);
  });

  it('refuses the 61st request within 10 minutes', async () => {
    const sim = await rig.simulator({ pacing: 'strict', timeScale: 60 }); // 10 min -> 10 s
    const client = await rig.connectApi(sim, 1);
    const contracts = Array.from({ length: 61 }, (_, i) => [AAPL, MSFT, SPY][i % 3] ?? AAPL);
    const results = await burst(client, 100, contracts, (i) => ({
      duration: `${Math.floor(i / 3) + 1} D`,
      barSize: '1 day',
    }));
    expect(results.slice(0, 60).filter(isViolation)).toHaveLength(0);
    expect(isViolation(results[60] as BarsResult)).toBe(true);
    expect(sim.stats.violationsByRule['rate-limit']).toBe(1);
    expect(sim.stats.requestsByKind['historical-data']).toBe(61);
  });

  it('counts BID_ASK requests twice towards the 60-request window', async () => {
    const sim = await rig.simulator({ pacing: 'strict', timeScale: 60 });
    const client = await rig.connectApi(sim, 1);
    const contracts = Array.from({ length: 31 }, (_, i) => [AAPL, MSFT, SPY][i % 3] ?? AAPL);
    const results = await burst(client, 200, contracts, (i) => ({
      duration: `${Math.floor(i / 3) + 1} D`,
      barSize: '1 day',
      whatToShow: i < 30 ? 'BID_ASK' : 'TRADES',
    }));
    expect(results.slice(0, 30).filter(isViolation)).toHaveLength(0);
    expect(isViolation(results[30] as BarsResult)).toBe(true);
  });
});

describe('pacing rules (practical)', () => {
  it('refuses the 51st simultaneously open request, and frees the slot on cancel', async () => {
    const sim = await rig.simulator({
      pacing: 'practical',
      faults: {
        script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' }, times: 50 }],
      },
    });
    const client = await rig.connectApi(sim, 1);
    const contracts = [AAPL, MSFT, SPY];
    for (let i = 0; i < 50; i += 1) {
      const contract = contracts[i % 3] ?? AAPL;
      client.ib.reqHistoricalData(
        300 + i,
        contract,
        '',
        `${i + 1} D`,
        '1 day' as BarSizeSetting,
        'TRADES' as WhatToShow,
        1,
        1,
        false,
      );
    }
    const refused = await requestBars(client, 350, AAPL, { duration: '60 D', barSize: '1 day' });
    expect(isViolation(refused)).toBe(true);
    expect(sim.stats.violationsByRule['open-requests']).toBe(1);
    client.ib.cancelHistoricalData(300);
    const accepted = await requestBars(client, 351, AAPL, { duration: '61 D', barSize: '1 day' });
    expect(accepted.ok).toBe(true);
  });

  it('applies the window rules to bars of 30 s or less only', async () => {
    const sim = await rig.simulator({ pacing: 'practical' });
    const client = await rig.connectApi(sim, 1);
    const daily = { end: '20240314 16:00:00 US/Eastern', duration: '5 D', barSize: '1 day' };
    const small = { end: '20240314 16:00:00 US/Eastern', duration: '60 S', barSize: '30 secs' };
    const [d1, d2, s1, s2] = await Promise.all([
      requestBars(client, 400, AAPL, daily),
      requestBars(client, 401, AAPL, daily),
      requestBars(client, 402, AAPL, small),
      requestBars(client, 403, AAPL, small),
    ]);
    expect([d1.ok, d2.ok, s1.ok]).toEqual([true, true, true]);
    expect(isViolation(s2)).toBe(true);
  });
});

describe('pacing off', () => {
  it('accepts identical requests and long durations', async () => {
    const sim = await rig.simulator({ pacing: 'off' });
    const client = await rig.connectApi(sim, 1);
    const results = await Promise.all([
      requestBars(client, 500, AAPL, { duration: '1 D', barSize: '1 day' }),
      requestBars(client, 501, AAPL, { duration: '1 D', barSize: '1 day' }),
      requestBars(client, 502, AAPL, {
        end: '20240314 16:00:00 US/Eastern',
        duration: '10 D',
        barSize: '1 min',
      }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.stats.pacingViolations).toBe(0);
    // Absurd durations are clamped to the head timestamp rather than looping over millennia.
    sim.addInstrument({ symbol: 'NEWCO', headDate: '2023-11-01' });
    const all = await requestBars(
      client,
      503,
      { ...SPY, symbol: 'NEWCO' },
      { duration: '99999999 Y', barSize: '1 month' },
    );
    // Monthly bars are dated by their last trading day; March 2024 is in progress on the 15th.
    expect(all.ok && all.bars.map((bar) => bar.time)).toEqual([
      '20231130',
      '20231229',
      '20240131',
      '20240229',
      '20240315',
    ]);
  });
});
