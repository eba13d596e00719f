/**
 * Fault injection, observed through the unmodified @stoqey/ib client: dropped and refused
 * connections, connectivity loss (1100/1101/1102), duplicate client ids, split frames, delayed and
 * unanswered requests, and scripted errors.
 */
import { ConnectionState, ErrorCode, EventName } from '@stoqey/ib';
import type { BarSizeSetting, WhatToShow } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { IbErrorCode } from '../src/index';
import type { SimRequestInfo } from '../src/index';
import type { ApiClient } from './helpers/ib-clients';
import { AAPL, fetchBars, MSFT, nextError, nextInfo, once, requestBars, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const DAY_REQUEST = { end: '20240314 16:00:00 US/Eastern', duration: '1 D', barSize: '5 mins' };

function disconnected(client: ApiClient): Promise<unknown[]> {
  return once(client.ib, EventName.disconnected);
}

async function currentTimeRoundTrip(client: ApiClient): Promise<void> {
  const reply = once(client.ib, EventName.currentTime);
  client.ib.reqCurrentTime();
  await reply;
}

describe('connection faults', () => {
  it('drops every connection at once', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const next = rig.connectNext(sim, 2);
    await next.api.getCurrentTime();
    const gone = disconnected(client);
    const nextGone = new Promise<void>((resolve) => {
      next.api.connectionState.subscribe((state) => state === ConnectionState.Disconnected && resolve());
    });
    sim.dropConnections();
    await Promise.all([gone, nextGone]);
    expect(client.ib.isConnected).toBe(false);
  });

  it('drops a connection when its client sends its N-th message', async () => {
    const sim = await rig.simulator({ faults: { dropAfterMessages: 3 } });
    const client = await rig.connectApi(sim, 1);
    const times: number[] = [];
    client.ib.on(EventName.currentTime, (time: number) => times.push(time));
    const gone = disconnected(client);
    client.ib.reqCurrentTime();
    client.ib.reqCurrentTime();
    client.ib.reqCurrentTime();
    await gone;
    expect(times).toHaveLength(2);
    expect(sim.messages.filter((m) => m.name === 'REQ_CURRENT_TIME')).toHaveLength(3);
  });

  it('drops a connection in the middle of a response', async () => {
    const sim = await rig.simulator({
      faults: {
        script: [
          { match: { kind: 'historical-data', symbol: 'AAPL' }, action: { type: 'drop-mid-response' } },
        ],
      },
    });
    const client = await rig.connectApi(sim, 1);
    const bars: string[] = [];
    client.ib.on(EventName.historicalData, (_id: number, time: string) => bars.push(time));
    const gone = disconnected(client);
    client.ib.reqHistoricalData(
      1,
      AAPL,
      '',
      '1 D',
      '1 min' as BarSizeSetting,
      'TRADES' as WhatToShow,
      1,
      1,
      false,
    );
    await gone;
    expect(bars).toEqual([]);
  });

  it('answers with garbage: the client reports an unknown message, gets no bars, and stays connected', async () => {
    const sim = await rig.simulator({
      faults: { script: [{ match: { kind: 'historical-data' }, action: { type: 'garbage' }, times: 1 }] },
    });
    const client = await rig.connectApi(sim, 1);
    const bars: string[] = [];
    client.ib.on(EventName.historicalData, (_id: number, time: string) => bars.push(time));
    const garbage = once(client.ib, EventName.error);
    client.ib.reqHistoricalData(
      1,
      AAPL,
      '',
      '1 D',
      '1 min' as BarSizeSetting,
      'TRADES' as WhatToShow,
      1,
      1,
      false,
    );
    const [, code] = await garbage;
    expect(code).toBe(ErrorCode.UNKNOWN_ID);
    await currentTimeRoundTrip(client);
    expect(bars).toEqual([]);
    expect(client.ib.isConnected).toBe(true);
    // Expected here: the rig otherwise fails a test whose client reported decoding errors.
    expect(new Set(client.errors.map((error) => error.code))).toEqual(new Set([ErrorCode.UNKNOWN_ID]));
    client.errors.length = 0;
  });

  it('refuses connections (client error 502) and accepts them again when lifted', async () => {
    const sim = await rig.simulator();
    const before = await rig.connectApi(sim, 1);
    await sim.setFaults({ refuseConnections: true });
    const refused = rig.api(sim);
    const failure = once(refused.ib, EventName.error);
    refused.ib.connect(2);
    const [, code] = await failure;
    expect(code).toBe(ErrorCode.CONNECT_FAIL);
    await currentTimeRoundTrip(before); // existing sessions are unaffected
    await sim.setFaults({});
    const after = await rig.connectApi(sim, 3);
    await currentTimeRoundTrip(after);
  });

  it('can start refusing from the beginning and still reports its port', async () => {
    const sim = await rig.simulator({ faults: { refuseConnections: true } });
    expect(sim.port).toBeGreaterThan(0);
    const client = rig.api(sim);
    const failure = once(client.ib, EventName.error);
    client.ib.connect(1);
    expect((await failure)[1]).toBe(ErrorCode.CONNECT_FAIL);
  });

  it('rejects a duplicate client id with 326 and closes that connection only', async () => {
    const sim = await rig.simulator();
    const first = await rig.connectApi(sim, 5);
    const second = rig.api(sim);
    const gone = disconnected(second);
    second.ib.connect(5);
    const info = await nextInfo(second, IbErrorCode.DUPLICATE_CLIENT_ID);
    expect(info.message).toBe(
      'Unable to connect as the client id is already in use. Retry with a unique client id.',
    );
    await gone;
    await currentTimeRoundTrip(first);
    expect(sim.connectedClientIds).toEqual([5]);
  });

  it('splits frames across TCP writes without changing what the client decodes', async () => {
    const plain = await rig.simulator({ seed: 3 });
    const split = await rig.simulator({ seed: 3, faults: { splitFrames: { maxChunkBytes: 3 } } });
    const expected = await fetchBars(await rig.connectApi(plain, 1), 1, AAPL, DAY_REQUEST);
    const client = await rig.connectApi(split, 1);
    expect(await fetchBars(client, 1, AAPL, DAY_REQUEST)).toEqual(expected);
    const next = rig.connectNext(split, 2);
    const [details] = await next.api.getContractDetails(MSFT);
    expect(details?.contract.conId).toBe(272093);
  });
});

describe('connectivity loss', () => {
  it('sends 1100, holds historical replies, then 1102 and delivers them', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    sim.interruptConnectivity();
    await nextInfo(client, IbErrorCode.CONNECTIVITY_LOST);
    const pending = requestBars(client, 1, AAPL, DAY_REQUEST);
    await currentTimeRoundTrip(client); // the gateway itself still answers
    await sim.waitForMessage('REQ_HISTORICAL_DATA');
    sim.restoreConnectivity('data-maintained');
    await nextInfo(client, IbErrorCode.CONNECTIVITY_RESTORED_DATA_MAINTAINED);
    const result = await pending;
    expect(result.ok && result.bars).toHaveLength(78);
  });

  it('sends 1101 and drops held requests and live updates when data is lost', async () => {
    const sim = await rig.simulator({ keepUpToDateIntervalMs: 10 });
    const client = await rig.connectApi(sim, 1);
    const bars: number[] = [];
    client.ib.on(EventName.historicalData, (id: number) => bars.push(id));
    const updates: number[] = [];
    client.ib.on(EventName.historicalDataUpdate, (id: number) => updates.push(id));
    const streaming = once(client.ib, EventName.historicalDataUpdate);
    client.ib.reqHistoricalData(
      2,
      AAPL,
      '',
      '1 D',
      '5 mins' as BarSizeSetting,
      'TRADES' as WhatToShow,
      1,
      1,
      true,
    );
    await streaming;
    sim.interruptConnectivity({ restoreAfterMs: 30, restore: 'data-lost' });
    client.ib.reqHistoricalData(
      3,
      AAPL,
      '',
      '1 D',
      '1 hour' as BarSizeSetting,
      'TRADES' as WhatToShow,
      1,
      1,
      false,
    );
    await nextInfo(client, IbErrorCode.CONNECTIVITY_LOST);
    await nextInfo(client, IbErrorCode.CONNECTIVITY_RESTORED_DATA_LOST);
    const updatesAtRestore = updates.length;
    await currentTimeRoundTrip(client);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await currentTimeRoundTrip(client);
    expect(bars.filter((id) => id === 3)).toEqual([]);
    expect(updates.length).toBe(updatesAtRestore);
    client.ib.cancelHistoricalData(2);
    expect((await nextError(client, 2)).code).toBe(366);
  });
});

describe('request faults', () => {
  it('delays one request so a later one is answered first', async () => {
    const sim = await rig.simulator({
      faults: { script: [{ match: { reqId: 1 }, action: { type: 'delay', ms: 150 } }] },
    });
    const client = await rig.connectApi(sim, 1);
    const order: number[] = [];
    const first = requestBars(client, 1, AAPL, DAY_REQUEST).then(() => order.push(1));
    const second = requestBars(client, 2, MSFT, DAY_REQUEST).then(() => order.push(2));
    await Promise.all([first, second]);
    expect(order).toEqual([2, 1]);
  });

  it('never answers a request, which can still be cancelled', async () => {
    const sim = await rig.simulator({
      faults: {
        script: [
          { match: { kind: 'historical-data', symbol: 'MSFT' }, action: { type: 'never-answer' } },
          { match: { kind: 'contract-details', symbol: 'MSFT' }, action: { type: 'never-answer' } },
        ],
      },
    });
    const client = await rig.connectApi(sim, 1);
    const answered: number[] = [];
    client.ib.on(EventName.historicalData, (id: number) => answered.push(id));
    client.ib.on(EventName.contractDetailsEnd, (id: number) => answered.push(id));
    client.ib.reqHistoricalData(
      1,
      MSFT,
      '',
      '1 D',
      '1 hour' as BarSizeSetting,
      'TRADES' as WhatToShow,
      1,
      1,
      false,
    );
    client.ib.reqContractDetails(2, MSFT);
    expect((await fetchBars(client, 3, AAPL, DAY_REQUEST)).length).toBe(78);
    expect(answered.filter((id) => id !== 3)).toEqual([]);
    client.ib.cancelHistoricalData(1);
    expect((await nextError(client, 1)).message).toContain('API historical data query cancelled: 1');
  });

  it('answers scripted errors for chosen requests only', async () => {
    const noData =
      'Historical Market Data Service error message:HMDS query returned no data: AAPL@SMART Trades';
    const sim = await rig.simulator({
      faults: {
        script: [
          {
            match: { kind: 'historical-data', symbol: 'AAPL' },
            action: { type: 'error', code: 162, message: noData },
            skip: 1,
            times: 1,
          },
          {
            match: (request: SimRequestInfo) => request.kind === 'current-time',
            action: {
              type: 'error',
              code: 1100,
              message: 'Connectivity between IB and Trader Workstation has been lost.',
            },
            times: 1,
          },
        ],
      },
    });
    const client = await rig.connectApi(sim, 1);
    expect((await requestBars(client, 1, AAPL, DAY_REQUEST)).ok).toBe(true);
    expect(await requestBars(client, 2, AAPL, DAY_REQUEST)).toEqual({
      ok: false,
      error: { code: 162, reqId: 2, message: noData },
    });
    expect((await requestBars(client, 3, AAPL, DAY_REQUEST)).ok).toBe(true);
    client.ib.reqCurrentTime();
    expect((await nextInfo(client, 1100)).code).toBe(1100);
    await currentTimeRoundTrip(client);
  });

  it('adds and clears scripted faults at run time', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    sim.addScriptedFault({
      match: { kind: 'historical-data' },
      action: { type: 'error', code: 200, message: 'nope' },
    });
    expect(await requestBars(client, 1, AAPL, DAY_REQUEST)).toMatchObject({
      ok: false,
      error: { code: 200 },
    });
    sim.clearScriptedFaults();
    expect((await requestBars(client, 2, AAPL, DAY_REQUEST)).ok).toBe(true);
  });

  it('applies a latency distribution and passes the request to latency functions', async () => {
    const seen: string[] = [];
    const ranged = await rig.simulator({ latencyMs: { min: 5, max: 15 } });
    const custom = await rig.simulator({
      latencyMs: (request) => {
        seen.push(`${request.kind}:${request.symbol}`);
        return 1;
      },
    });
    expect((await fetchBars(await rig.connectApi(ranged, 1), 1, AAPL, DAY_REQUEST)).length).toBe(78);
    expect((await fetchBars(await rig.connectApi(custom, 1), 1, MSFT, DAY_REQUEST)).length).toBe(78);
    expect(seen).toEqual(['historical-data:MSFT']);
  });
});

describe('message record and counters', () => {
  it('records every message with its fields and counts requests, bars and violations', async () => {
    const sim = await rig.simulator({ pacing: 'strict' });
    const client = await rig.connectApi(sim, 9);
    await fetchBars(client, 1, AAPL, DAY_REQUEST);
    await requestBars(client, 2, AAPL, DAY_REQUEST);
    const request = sim.messages.find((m) => m.name === 'REQ_HISTORICAL_DATA');
    expect(request).toMatchObject({ clientId: 9, id: 20, connectionId: 1 });
    expect(request?.fields.slice(0, 4)).toEqual(['20', '1', '', 'AAPL']); // conId undefined -> empty field
    expect(sim.stats).toMatchObject({
      connections: 1,
      activeConnections: 1,
      requests: 2,
      historicalResponses: 1,
      barsServed: 78,
      pacingViolations: 1,
    });
    sim.resetStats();
    sim.clearMessages();
    expect(sim.stats.requests).toBe(0);
    expect(sim.messages).toEqual([]);
  });
});
