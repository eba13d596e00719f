import {
  CancelledError,
  DataUnavailableError,
  ServiceConnectionError,
  ServiceTimeoutError,
  UnknownSymbolError,
} from '@ktrdr/core';
import {
  type IbSimulator,
  type IbSimulatorOptions,
  IB_SIM_ACCOUNT_ID,
  startIbSimulator,
} from '@ktrdr/ib-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { IbConnectionRegistry } from '../../src/ib/connection-registry';
import { IbClient, type IbClientOptions } from '../../src/ib/ib-client';

/** The simulated market's clock: a Friday after the close. */
const SIM_NOW = new Date('2024-06-28T21:00:00Z');
const END = new Date('2024-06-28T00:00:00Z');

const simulators: IbSimulator[] = [];
const registries: IbConnectionRegistry[] = [];

async function simulator(options: IbSimulatorOptions = {}): Promise<IbSimulator> {
  const sim = await startIbSimulator({ port: 0, seed: 7, now: () => SIM_NOW, ...options });
  simulators.push(sim);
  return sim;
}

function client(sim: IbSimulator, options: IbClientOptions = {}): IbClient {
  const registry = options.registry ?? new IbConnectionRegistry();
  registries.push(registry);
  return new IbClient({
    host: sim.host,
    port: sim.port,
    clientId: 11,
    registry,
    idleCloseMs: false,
    requestTimeoutMs: 10_000,
    ...options,
  });
}

/** Rejections observed without an unhandled-rejection warning while the test sets up the failure. */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Resolves once `condition` holds (polling), or fails the test after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  for (const registry of registries.splice(0)) registry.closeAll();
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});

describe('IbClient against @ktrdr/ib-sim over TCP', () => {
  it('fetches intraday bars (epoch times) and flags them simulated', async () => {
    const sim = await simulator();
    const ib = client(sim);
    const { bars, simulated } = await ib.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1m',
      end: END,
      duration: { days: 1 },
    });
    expect(simulated).toBe(true);
    expect(bars.length).toBeGreaterThan(300);
    for (const bar of bars) {
      expect(bar.time % 60_000).toBe(0);
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
    }
    // All bars lie on the trading day before END, in order.
    expect(bars[0]!.time).toBeGreaterThanOrEqual(Date.UTC(2024, 5, 27));
    expect(bars.at(-1)!.time).toBeLessThan(END.getTime());
    expect(bars.every((bar, i) => i === 0 || bar.time > bars[i - 1]!.time)).toBe(true);
    expect(ib.isSimulated).toBe(true);
    expect(ib.status().accounts).toContain(IB_SIM_ACCOUNT_ID);
  });

  it('fetches daily bars as UTC midnights', async () => {
    const sim = await simulator();
    const { bars } = await client(sim).fetchHistoricalBars({
      symbol: 'MSFT',
      instrumentType: 'STK',
      timeframe: '1d',
      end: END,
      duration: '1 M',
    });
    expect(bars.length).toBeGreaterThan(15);
    for (const bar of bars) expect(bar.time % 86_400_000).toBe(0);
  });

  it('fetches forex BID bars and front-month futures bars', async () => {
    const sim = await simulator();
    const ib = client(sim);
    const fx = await ib.fetchHistoricalBars({
      symbol: 'EUR.USD',
      timeframe: '1h',
      end: END,
      duration: '5 D',
    });
    expect(fx.bars.length).toBeGreaterThan(50);
    expect(fx.bars[0]!.close).toBeLessThan(2);
    const es = await ib.fetchHistoricalBars({
      symbol: 'ES',
      instrumentType: 'FUT',
      timeframe: '1h',
      end: END,
      duration: '5 D',
    });
    expect(es.bars.length).toBeGreaterThan(50);
    const historical = sim.messages.filter((m) => m.name === 'REQ_HISTORICAL_DATA');
    // whatToShow is the 20th field (id, reqId, 13 contract fields, end, bar size, duration, RTH, what).
    expect(historical.map((m) => m.fields[19])).toEqual(['BID', 'TRADES']);
    expect(sim.stats.pacingViolations).toBe(0);
  });

  it('returns contract details for STK, CASH and FUT', async () => {
    const sim = await simulator();
    const ib = client(sim);
    const stock = await ib.getContractDetails('AAPL', 'STK');
    expect(stock).toMatchObject({
      instrumentType: 'STK',
      conId: 265598,
      exchange: 'SMART',
      currency: 'USD',
      simulated: true,
    });
    expect(stock.tradingHours).toMatch(/^\d{8}:/);
    const forex = await ib.getContractDetails('EUR.USD');
    expect(forex).toMatchObject({
      instrumentType: 'CASH',
      exchange: 'IDEALPRO',
      currency: 'USD',
      contract: { symbol: 'EUR' },
    });
    const future = await ib.getContractDetails('ES', 'futures');
    expect(future).toMatchObject({
      instrumentType: 'FUT',
      exchange: 'CME',
      lastTradeDateOrContractMonth: '20240920',
    });
  });

  it('raises UnknownSymbolError for an unknown symbol, in lookups and in bar requests', async () => {
    const sim = await simulator();
    const ib = client(sim);
    await expect(ib.getContractDetails('ZZZZ')).rejects.toBeInstanceOf(UnknownSymbolError);
    await expect(
      ib.fetchHistoricalBars({
        symbol: 'ZZZZ',
        instrumentType: 'STK',
        timeframe: '1h',
        end: END,
        duration: '5 D',
      }),
    ).rejects.toBeInstanceOf(UnknownSymbolError);
  });

  it('raises DataUnavailableError when IB has no data', async () => {
    const sim = await simulator();
    await expect(
      client(sim).fetchHistoricalBars({
        symbol: 'AAPL',
        instrumentType: 'STK',
        timeframe: '1m',
        end: new Date('1975-01-01T00:00:00Z'),
        duration: '1 D',
      }),
    ).rejects.toBeInstanceOf(DataUnavailableError);
  });

  it('returns the head timestamp and the server time', async () => {
    const sim = await simulator();
    const ib = client(sim);
    const head = await ib.getHeadTimestamp('AAPL', { instrumentType: 'STK' });
    expect(head.simulated).toBe(true);
    expect(head.timestamp.toISOString().slice(0, 10)).toBe('1980-12-12');
    expect((await ib.getCurrentTime()).time.getTime()).toBe(SIM_NOW.getTime());
  });

  it('times out with ServiceTimeoutError and sends cancelHistoricalData', async () => {
    const sim = await simulator({
      faults: { script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' } }] },
    });
    const ib = client(sim, { probeTimeoutMs: false });
    const fetch = ib.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1h',
      end: END,
      duration: '5 D',
      timeoutMs: 300,
    });
    await expect(fetch).rejects.toBeInstanceOf(ServiceTimeoutError);
    const request = await sim.waitForMessage('REQ_HISTORICAL_DATA');
    const cancel = await sim.waitForMessage('CANCEL_HISTORICAL_DATA', 2_000);
    expect(cancel.fields[2]).toBe(request.fields[1]); // cancels the request it sent
    // IB's "query cancelled" for the finished request is ignored; the connection carries on.
    expect((await ib.getCurrentTime()).simulated).toBe(true);
    expect(ib.status().pendingRequests).toBe(0);
  });

  it('cancels with CancelledError when the signal aborts, and sends cancelHistoricalData', async () => {
    const sim = await simulator({
      faults: { script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' } }] },
    });
    const ib = client(sim);
    const controller = new AbortController();
    const fetch = observed(
      ib.fetchHistoricalBars({
        symbol: 'AAPL',
        instrumentType: 'STK',
        timeframe: '1h',
        end: END,
        duration: '5 D',
        signal: controller.signal,
      }),
    );
    await sim.waitForMessage('REQ_HISTORICAL_DATA');
    controller.abort();
    await expect(fetch).rejects.toBeInstanceOf(CancelledError);
    await sim.waitForMessage('CANCEL_HISTORICAL_DATA', 2_000);
  });

  it('rejects every pending request at once when the connection drops mid-request', async () => {
    const sim = await simulator({
      faults: { script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' } }] },
    });
    const ib = client(sim, { reconnect: false });
    const fetches = ['AAPL', 'MSFT', 'SPY'].map((symbol) =>
      observed(
        ib.fetchHistoricalBars({ symbol, instrumentType: 'STK', timeframe: '1h', end: END, duration: '5 D' }),
      ),
    );
    await until(() => sim.stats.requestsByKind['historical-data'] === 3);
    sim.dropConnections();
    const settled = await Promise.allSettled(fetches);
    for (const result of settled) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(ServiceConnectionError);
      expect(reason.message).toContain(`${sim.host}:${sim.port}`);
      expect(reason.message).toMatch(/IB Gateway or TWS is running/);
    }
    expect(ib.status()).toMatchObject({ pendingRequests: 0, drops: 1, connected: false });
  });

  it('rejects pending requests on 1100 and works again after connectivity is restored', async () => {
    const sim = await simulator({
      faults: {
        script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' }, times: 1 }],
      },
    });
    const ib = client(sim);
    const fetch = observed(
      ib.fetchHistoricalBars({
        symbol: 'AAPL',
        instrumentType: 'STK',
        timeframe: '1h',
        end: END,
        duration: '5 D',
      }),
    );
    await sim.waitForMessage('REQ_HISTORICAL_DATA');
    sim.interruptConnectivity();
    await expect(fetch).rejects.toBeInstanceOf(ServiceConnectionError);
    await expect(fetch).rejects.toThrow(/1100/);
    await sim.waitForMessage('CANCEL_HISTORICAL_DATA', 2_000);
    expect(ib.status().connectivityLost).toBe(true);
    sim.restoreConnectivity('data-maintained');
    await until(() => !ib.status().connectivityLost);
    const { bars } = await ib.fetchHistoricalBars({
      symbol: 'MSFT',
      instrumentType: 'STK',
      timeframe: '1h',
      end: END,
      duration: '5 D',
    });
    expect(bars.length).toBeGreaterThan(0);
  });

  it('reconnects with backoff after a drop while the gateway refuses connections, then serves requests', async () => {
    const sim = await simulator();
    const ib = client(sim, { reconnect: { initialDelayMs: 40, maxDelayMs: 400, jitter: 0 } });
    await ib.connect();
    await sim.setFaults({ refuseConnections: true });
    sim.dropConnections();
    await until(() => ib.status().reconnectAttempt >= 3);
    expect(ib.status().state).toBe('reconnecting');
    await sim.setFaults({ refuseConnections: false });
    await until(() => ib.status().connected, 5_000);
    expect(ib.status()).toMatchObject({ drops: 1, connects: 2, reconnectAttempt: 0 });
    expect(sim.stats.connections).toBe(2);
    expect((await ib.getCurrentTime()).simulated).toBe(true);
  });

  it('moves to the next client id when the requested one is in use', async () => {
    const sim = await simulator();
    const first = client(sim, { clientId: 5 });
    const second = client(sim, { clientId: 5 }); // another registry: a separate connection
    await first.connect();
    const status = await second.connect();
    expect(status).toMatchObject({ clientId: 6, requestedClientId: 5, connected: true });
    expect([...sim.connectedClientIds].sort()).toEqual([5, 6]);
  });

  it('fails a connect to a closed port with a ServiceConnectionError that says what to check', async () => {
    const sim = await simulator();
    const port = sim.port;
    await sim.close();
    const ib = new IbClient({
      host: '127.0.0.1',
      port,
      clientId: 1,
      registry: new IbConnectionRegistry(),
      reconnect: false,
    });
    try {
      await expect(ib.connect()).rejects.toThrow(
        new RegExp(`127\\.0\\.0\\.1:${port}.*running.*API is enabled.*port`, 's'),
      );
    } finally {
      ib.close();
    }
  });

  it('runs many concurrent segment requests through the scheduler with zero pacing violations', async () => {
    const timeScale = 150;
    const sim = await simulator({ pacing: 'strict', timeScale, latencyMs: 150, recordMessages: false });
    // Strict, as the simulator: its hard rules apply to these 1-minute requests too.
    const ib = client(sim, { pacing: { timeScale, profile: 'strict' } });
    // The simulator shares this process's event loop: while it is busy (compiling on first use, or
    // building big replies) it reads requests late and stamps them late, which shrinks the windows
    // it measures. A warm-up and small hourly replies keep that jitter far inside the safety margin;
    // the bar size does not matter to the rules in strict mode.
    await ib.fetchHistoricalBars({
      symbol: 'MSFT',
      instrumentType: 'STK',
      timeframe: '1h',
      end: END,
      duration: '1 D',
    });
    // 70 one-day segments ending on consecutive days: more than the 60 per 10 minutes, so the
    // scheduler has to hold some back; all for one contract, so the 2-second rule binds.
    const ends = Array.from({ length: 70 }, (_, i) => new Date(END.getTime() - i * 86_400_000));
    const results = await Promise.all(
      ends.map((end) =>
        ib
          .fetchHistoricalBars({
            symbol: 'AAPL',
            instrumentType: 'STK',
            timeframe: '1h',
            end,
            duration: { days: 1 },
          })
          .then(
            (result) => result.bars.length,
            (error: unknown) => (error instanceof DataUnavailableError ? 0 : Promise.reject(error)),
          ),
      ),
    );
    expect(results.filter((n) => n > 0).length).toBeGreaterThan(40); // weekdays have bars
    expect(sim.stats.violationsByRule).toEqual({
      'identical-request': 0,
      'same-contract-burst': 0,
      'rate-limit': 0,
      'open-requests': 0,
    });
    expect(sim.stats.pacingViolations).toBe(0);
    expect(sim.stats.requestsByKind['historical-data']).toBe(71);
    const pacing = ib.status().pacing;
    expect(pacing).toMatchObject({ granted: 71, violations: 0, retries: 0 });
    expect(pacing.maxOpen).toBeGreaterThan(1); // several in flight, not one at a time
  });

  it('recovers from pacing violations the gateway reports anyway', async () => {
    const sim = await simulator({
      faults: {
        script: [
          {
            match: { kind: 'historical-data' },
            action: {
              type: 'error',
              code: 162,
              message:
                'Historical Market Data Service error message:Historical data request pacing violation',
            },
            times: 2,
          },
        ],
      },
    });
    const ib = client(sim, { pacing: { timeScale: 1_000 } });
    const { bars } = await ib.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1h',
      end: END,
      duration: '5 D',
    });
    expect(bars.length).toBeGreaterThan(0);
    expect(sim.stats.requestsByKind['historical-data']).toBe(3);
    expect(ib.status().pacing).toMatchObject({ violations: 2, retries: 2 });
  });

  it("logs connect and each pacing violation through the caller's console-like logger", async () => {
    const sim = await simulator({
      faults: {
        script: [
          {
            match: { kind: 'historical-data' },
            action: { type: 'error', code: 162, message: 'Historical data request pacing violation' },
            times: 1,
          },
        ],
      },
    });
    const lines: { level: string; message: string; data?: Record<string, unknown> }[] = [];
    const record = (level: string) => (message: string, data?: Record<string, unknown>) =>
      lines.push({ level, message, data });
    const logger = { info: record('info'), warn: record('warn') };
    const ib = client(sim, { pacing: { timeScale: 1_000 }, logger });
    await ib.fetchHistoricalBars({
      symbol: 'AAPL',
      instrumentType: 'STK',
      timeframe: '1h',
      end: END,
      duration: '1 D',
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', message: expect.stringMatching(/^IB: connected to /) }),
    );
    const violation = lines.find((line) => line.message.startsWith('IB: pacing violation'));
    expect(violation).toMatchObject({
      level: 'warn',
      data: { attempt: 1, request: expect.stringContaining('historical bars AAPL STK 1 hour') },
    });
  });

  it('shares one connection between clients of the same host, port and client id', async () => {
    const sim = await simulator();
    const registry = new IbConnectionRegistry();
    const a = client(sim, { registry });
    const b = client(sim, { registry });
    await Promise.all([a.getCurrentTime(), b.getCurrentTime()]);
    expect(sim.stats.connections).toBe(1);
    expect(a.status().connectionCount).toBe(1);
    a.close();
    expect((await b.getCurrentTime()).simulated).toBe(true);
    b.close();
    expect(registry.size).toBe(0);
    await until(() => sim.stats.activeConnections === 0);
  });
});
