import { CancelledError, ServiceConnectionError, ServiceTimeoutError } from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { IbConnectionOptions } from '../../src/ib/ib-config';
import { IbConnection, type IbRequestSpec } from '../../src/ib/ib-connection';
import { FakeClock, settle } from './fake-clock';
import { FakeGateway } from './fake-ib-api';

const open: IbConnection[] = [];

function setup(options: IbConnectionOptions = {}) {
  const clock = new FakeClock();
  const gateway = new FakeGateway();
  const connection = new IbConnection({
    host: '127.0.0.1',
    port: 4002,
    clientId: 1,
    clock,
    random: () => 0, // no jitter: exact backoff delays
    createApi: gateway.factory,
    idleCloseMs: false,
    ...options,
  });
  open.push(connection);
  return { clock, gateway, connection };
}

/** A historical request that resolves with the number of bars at its end event. */
function historical(extra: Partial<IbRequestSpec<number>> = {}): IbRequestSpec<number> {
  let bars = 0;
  return {
    kind: 'historical',
    description: 'historical bars AAPL',
    timeoutMs: 10_000,
    send: (api, reqId) =>
      api.reqHistoricalData(reqId, { symbol: 'AAPL' }, '', '1 D', '1 min', 'TRADES', 0, 2, false),
    cancel: (api, reqId) => api.cancelHistoricalData(reqId),
    onEvent: (event, controls) => {
      if (event.type === 'historicalBar') bars += 1;
      if (event.type === 'historicalEnd') controls.resolve(bars);
    },
    ...extra,
  };
}

function expectRejection<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

afterEach(() => {
  for (const connection of open.splice(0)) connection.close();
});

describe('IbConnection lifecycle', () => {
  it('sends nothing before the connection is synchronised (next valid id)', async () => {
    const { gateway, connection, clock } = setup();
    const pending = expectRejection(connection.request(historical()));
    await clock.advance(300);
    const [sent] = gateway.sentOf('reqHistoricalData');
    expect(sent?.synced).toBe(true);
    expect(connection.status()).toMatchObject({
      state: 'ready',
      connected: true,
      serverVersion: 193,
      pendingRequests: 1,
    });
    gateway.current.emit('historicalData', sent?.reqId, '1709303400', 1, 2, 0.5, 1.5, 100);
    gateway.current.emit('historicalData', sent?.reqId, 'finished-a-b', -1, -1, -1, -1, -1);
    await expect(pending).resolves.toBe(1);
  });

  it('always gives the API host, port and client id', async () => {
    const { gateway, connection, clock } = setup({ clientId: 7 });
    void connection.ready();
    await clock.advance(300);
    expect(gateway.current.options).toEqual({ host: '127.0.0.1', port: 4002, clientId: 7 });
    expect(gateway.current.connectedClientId).toBe(7);
  });

  it('detects a simulated session from a KTRDRSIM managed account', async () => {
    const { gateway, connection, clock } = setup();
    gateway.accounts = 'DU1234567,KTRDRSIM0001';
    await Promise.all([connection.ready(), clock.advance(300)]);
    expect(connection.isSimulated).toBe(true);
    expect(connection.status().accounts).toEqual(['DU1234567', 'KTRDRSIM0001']);
  });

  it('reports a real session as not simulated', async () => {
    const { gateway, connection, clock } = setup();
    gateway.accounts = 'DU1234567';
    await Promise.all([connection.ready(), clock.advance(300)]);
    expect(connection.isSimulated).toBe(false);
  });

  it('goes ready after a short grace when the gateway sends no managed accounts', async () => {
    const { gateway, connection, clock } = setup({ accountsGraceMs: 250 });
    gateway.mode = 'no-accounts';
    const ready = connection.ready();
    await clock.advance(249);
    expect(connection.status().state).toBe('connecting');
    await clock.advance(1);
    await ready;
    expect(connection.isSimulated).toBe(false);
  });

  it('moves to the next client id when IB says one is in use (326)', async () => {
    const { gateway, connection, clock } = setup();
    gateway.takenClientIds.add(1);
    gateway.takenClientIds.add(2);
    await Promise.all([connection.ready(), clock.advance(1_000)]);
    expect(connection.status()).toMatchObject({ clientId: 3, requestedClientId: 1, state: 'ready' });
    expect(gateway.apis.map((api) => api.connectedClientId)).toEqual([1, 2, 3]);
  });

  it('gives up with a ServiceConnectionError when every client id tried is in use', async () => {
    const { gateway, connection, clock } = setup({ maxClientIdAttempts: 3 });
    for (const id of [1, 2, 3]) gateway.takenClientIds.add(id);
    const ready = expectRejection(connection.ready());
    await clock.advance(1_000);
    await expect(ready).rejects.toBeInstanceOf(ServiceConnectionError);
    await expect(ready).rejects.toThrow(/client ids 1\.\.3 are all in use/);
    expect(connection.status().state).toBe('idle');
  });

  it('fails a refused connect at once with an error naming host:port and what to check', async () => {
    const { gateway, connection, clock } = setup();
    gateway.mode = 'refuse';
    const ready = expectRejection(connection.ready());
    await clock.advance(10);
    await expect(ready).rejects.toBeInstanceOf(ServiceConnectionError);
    await expect(ready).rejects.toThrow(/ECONNREFUSED.*127\.0\.0\.1:4002.*running.*API is enabled.*port/s);
  });

  it('times out a connect that never synchronises', async () => {
    const { gateway, connection, clock } = setup({ connectTimeoutMs: 2_000 });
    gateway.mode = 'silent';
    const ready = expectRejection(connection.ready());
    await clock.advance(1_999);
    expect(connection.status().state).toBe('connecting');
    await clock.advance(1);
    await expect(ready).rejects.toThrow(/timed out after 2000 ms/);
    expect(gateway.current.disconnectCalls).toBe(1);
  });

  it('rejects every pending request at once when the connection drops, then reconnects with backoff', async () => {
    const { gateway, connection, clock } = setup({ reconnect: { initialDelayMs: 1_000, maxDelayMs: 8_000 } });
    const pending = [1, 2, 3].map(() => expectRejection(connection.request(historical())));
    await clock.advance(300);
    expect(connection.status().pendingRequests).toBe(3);
    gateway.mode = 'refuse';
    gateway.current.drop();
    for (const request of pending) await expect(request).rejects.toBeInstanceOf(ServiceConnectionError);
    expect(connection.status()).toMatchObject({ pendingRequests: 0, state: 'reconnecting', drops: 1 });

    // Attempts at +1 s, then +2 s, then +4 s (refused), then success after +8 s.
    const attemptsAt: number[] = [];
    const before = gateway.apis.length;
    for (let t = 0; t < 20_000; t += 100) {
      await clock.advance(100);
      while (gateway.apis.length - before > attemptsAt.length) attemptsAt.push(clock.now());
      if (attemptsAt.length === 3) gateway.mode = 'normal';
      if (connection.status().state === 'ready') break;
    }
    const start = attemptsAt[0]! - 1_000;
    expect(attemptsAt.map((t) => t - start)).toEqual([1_000, 3_000, 7_000, 15_000]);
    expect(connection.status()).toMatchObject({ state: 'ready', connects: 2, reconnectAttempt: 0 });
  });

  it('makes a request issued while reconnecting wait for the reconnect', async () => {
    const { gateway, connection, clock } = setup({ reconnect: { initialDelayMs: 1_000 } });
    await Promise.all([connection.ready(), clock.advance(300)]);
    gateway.current.drop();
    const request = connection.request(historical());
    await clock.advance(1_300);
    const sent = gateway.sentOf('reqHistoricalData');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.api).toBe(gateway.current);
    gateway.current.emit('historicalData', sent[0]?.reqId, 'finished', -1, -1, -1, -1, -1);
    await expect(request).resolves.toBe(0);
  });

  it('rejects pending requests on 1100 and refuses new ones until 1102', async () => {
    const { gateway, connection, clock } = setup();
    const pending = expectRejection(connection.request(historical()));
    await clock.advance(300);
    gateway.current.emit('info', 'Connectivity between IB and Trader Workstation has been lost.', 1100);
    await expect(pending).rejects.toBeInstanceOf(ServiceConnectionError);
    await expect(pending).rejects.toThrow(/1100/);
    // The socket is still up: the gateway is told to drop the query.
    expect(gateway.sentOf('cancelHistoricalData')).toHaveLength(1);
    await expect(connection.request(historical())).rejects.toThrow(/lost \(1100\)/);
    gateway.current.emit('info', 'Connectivity restored - data maintained', 1102);
    const next = connection.request(historical());
    await settle();
    const last = gateway.sentOf('reqHistoricalData').at(-1);
    gateway.current.emit('historicalData', last?.reqId, 'finished', -1, -1, -1, -1, -1);
    await expect(next).resolves.toBe(0);
  });

  it('fails the named request on a request-level IB error and ignores errors for finished requests', async () => {
    const { gateway, connection, clock } = setup();
    const pending = expectRejection(connection.request(historical({ timeoutMs: 500 })));
    await clock.advance(300);
    const reqId = gateway.sentOf('reqHistoricalData')[0]?.reqId;
    gateway.current.emit(
      'error',
      new Error('No security definition has been found for the request'),
      200,
      reqId,
    );
    await expect(pending).rejects.toThrow(/historical bars AAPL.*no security definition/);
    // Late: IB's "cancelled" and bars after the end. Nothing throws, nothing is left pending.
    gateway.current.emit('error', new Error('API historical data query cancelled: 1'), 162, reqId);
    gateway.current.emit('historicalData', reqId, '1709303400', 1, 1, 1, 1, 1);
    expect(connection.status().pendingRequests).toBe(0);
  });

  it('cancels at IB on timeout, and drops a silent connection whose probe is unanswered', async () => {
    const { gateway, connection, clock } = setup({
      probeTimeoutMs: 1_000,
      reconnect: { initialDelayMs: 500 },
    });
    const request = expectRejection(connection.request(historical({ timeoutMs: 2_000 })));
    await clock.advance(300);
    await clock.advance(2_000);
    await expect(request).rejects.toBeInstanceOf(ServiceTimeoutError);
    const reqId = gateway.sentOf('reqHistoricalData')[0]?.reqId;
    expect(gateway.sentOf('cancelHistoricalData').map((s) => s.reqId)).toEqual([reqId]);
    expect(gateway.sentOf('reqCurrentTime')).toHaveLength(1);
    const silent = gateway.current;
    await clock.advance(1_000);
    expect(connection.status().drops).toBe(1);
    expect(silent.disconnectCalls).toBe(1);
    await clock.advance(1_000);
    expect(connection.status()).toMatchObject({ state: 'ready', connects: 2 });
  });

  it('keeps a connection whose probe is answered', async () => {
    const { gateway, connection, clock } = setup({ probeTimeoutMs: 1_000 });
    gateway.onRequest = (sent) => {
      if (sent.type === 'reqCurrentTime') setImmediate(() => sent.api.emit('currentTime', 1_709_303_400));
    };
    const request = expectRejection(connection.request(historical({ timeoutMs: 2_000 })));
    await clock.advance(2_300);
    await expect(request).rejects.toBeInstanceOf(ServiceTimeoutError);
    await clock.advance(2_000);
    expect(connection.status()).toMatchObject({ state: 'ready', drops: 0 });
  });

  it('closes an idle connection and reconnects on the next request', async () => {
    const { gateway, connection, clock } = setup({ idleCloseMs: 5_000 });
    await Promise.all([connection.ready(), clock.advance(300)]);
    const endUse = connection.beginUse();
    await clock.advance(10_000);
    expect(connection.status().state).toBe('ready'); // in use: not idle
    endUse();
    await clock.advance(4_999);
    expect(connection.status().state).toBe('ready');
    await clock.advance(1);
    expect(connection.status().state).toBe('idle');
    expect(gateway.apis[0]?.disconnectCalls).toBe(1);
    void connection.ready();
    await clock.advance(300);
    expect(connection.status()).toMatchObject({ state: 'ready', connects: 2 });
    expect(gateway.apis).toHaveLength(2);
  });

  it('rejects pending requests and waiters with CancelledError on close, and stays closed', async () => {
    const { connection, clock } = setup();
    const pending = expectRejection(connection.request(historical()));
    await clock.advance(300);
    connection.close();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    await expect(connection.ready()).rejects.toBeInstanceOf(CancelledError);
    expect(connection.status().state).toBe('closed');
  });

  it('stops waiting for the connection when the signal aborts', async () => {
    const { gateway, connection } = setup();
    gateway.mode = 'silent';
    const controller = new AbortController();
    const ready = expectRejection(connection.ready(controller.signal));
    controller.abort();
    await expect(ready).rejects.toBeInstanceOf(CancelledError);
  });

  it('cancels at IB when a sent request is aborted', async () => {
    const { gateway, connection, clock } = setup();
    const controller = new AbortController();
    const request = expectRejection(connection.request(historical({ signal: controller.signal })));
    await clock.advance(300);
    controller.abort();
    await expect(request).rejects.toBeInstanceOf(CancelledError);
    expect(gateway.sentOf('cancelHistoricalData')).toHaveLength(1);
  });
});
