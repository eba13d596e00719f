/**
 * Test helpers around the unmodified @stoqey/ib client: connect through IBApi or IBApiNext, collect
 * every error (any 505 decoding error fails the test), request bars and await events, and close
 * everything after each test.
 */
import { ErrorCode, EventName, IBApi, IBApiNext, SecType } from '@stoqey/ib';
import type { BarSizeSetting, Contract, WhatToShow } from '@stoqey/ib';
import { expect } from 'vitest';
import { startIbSimulator } from '../../src/index';
import type { IbSimulator, IbSimulatorOptions } from '../../src/index';

/** Fixed market clock used across tests: Friday 2024-03-15 16:30 New York (after the close). */
export const TEST_NOW = new Date('2024-03-15T20:30:00Z');

export const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
export const MSFT: Contract = { symbol: 'MSFT', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
export const SPY: Contract = { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
export const EURUSD: Contract = {
  symbol: 'EUR',
  secType: SecType.CASH,
  exchange: 'IDEALPRO',
  currency: 'USD',
};
export const ES_M4: Contract = {
  symbol: 'ES',
  secType: SecType.FUT,
  exchange: 'CME',
  currency: 'USD',
  lastTradeDateOrContractMonth: '202406',
};

/** An error as the client reported it. */
export interface ReportedError {
  readonly code: number;
  readonly reqId: number;
  readonly message: string;
}

/** An info (reqId -1 ERR_MSG) as the client reported it. */
export interface ReportedInfo {
  readonly code: number;
  readonly message: string;
}

/** A connected IBApi with everything it reported. */
export interface ApiClient {
  readonly ib: IBApi;
  readonly errors: ReportedError[];
  readonly infos: ReportedInfo[];
}

/** One historical bar as IBApi emitted it. */
export interface ClientBar {
  readonly time: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly count: number | undefined;
  readonly wap: number;
}

const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Tracks simulators and clients of a test file and closes them; also enforces "no 505". */
export class TestRig {
  private readonly simulators: IbSimulator[] = [];
  private readonly apis: ApiClient[] = [];
  private readonly nexts: { api: IBApiNext; errors: ReportedError[] }[] = [];

  /** Starts a simulator with the fixed test clock unless `now` is given. */
  async simulator(options: IbSimulatorOptions = {}): Promise<IbSimulator> {
    const sim = await startIbSimulator({ now: () => TEST_NOW, ...options });
    this.simulators.push(sim);
    return sim;
  }

  /** Creates an IBApi client with error/info collection, without connecting. */
  api(sim: IbSimulator, options: { maxReqPerSec?: number } = {}): ApiClient {
    const ib = new IBApi({ host: sim.host, port: sim.port, ...options });
    const client: ApiClient = { ib, errors: [], infos: [] };
    ib.on(EventName.error, (error: Error, code: ErrorCode, reqId: number) => {
      client.errors.push({ code, reqId, message: error.message });
    });
    ib.on(EventName.info, (message: string, code: ErrorCode) => client.infos.push({ code, message }));
    this.apis.push(client);
    return client;
  }

  /** Connects an IBApi client and waits for nextValidId (the client's "ready" signal). */
  async connectApi(
    sim: IbSimulator,
    clientId: number,
    options: { maxReqPerSec?: number } = {},
  ): Promise<ApiClient> {
    const client = this.api(sim, options);
    const ready = once(client.ib, EventName.nextValidId);
    client.ib.connect(clientId);
    await ready;
    return client;
  }

  /** Creates and connects an IBApiNext client; its errors are collected for the 505 check. */
  connectNext(
    sim: IbSimulator,
    clientId: number,
    reconnectInterval = 0,
  ): { api: IBApiNext; errors: ReportedError[] } {
    const api = new IBApiNext({ host: sim.host, port: sim.port, logger: silentLogger, reconnectInterval });
    const entry = { api, errors: [] as ReportedError[] };
    api.error.subscribe((error) =>
      entry.errors.push({ code: error.code, reqId: error.reqId, message: error.error.message }),
    );
    api.connect(clientId);
    this.nexts.push(entry);
    return entry;
  }

  /** Fails on any 505 (decoding error) a client reported, then closes every client and simulator. */
  async cleanup(): Promise<void> {
    const decodingErrors = [
      ...this.apis.flatMap((c) => c.errors),
      ...this.nexts.flatMap((n) => n.errors),
    ].filter((error) => error.code === ErrorCode.UNKNOWN_ID);
    for (const client of this.apis.splice(0)) {
      client.ib.removeAllListeners();
      if (client.ib.isConnected) client.ib.disconnect();
    }
    for (const next of this.nexts.splice(0)) next.api.disconnect();
    await Promise.all(this.simulators.splice(0).map((sim) => sim.close()));
    expect(decodingErrors, 'the client reported 505 decoding errors').toEqual([]);
  }
}

/** Resolves with the arguments of the next `event` emission (optionally filtered). */
export function once(
  ib: IBApi,
  event: EventName,
  accept: (...args: never[]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<unknown[]> {
  // IBApi's `on` overloads are per event; a generic waiter needs the plain emitter signature.
  const emitter = ib as unknown as {
    on(event: string, listener: (...args: unknown[]) => void): void;
    off(event: string, listener: (...args: unknown[]) => void): void;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`Timed out waiting for ${event}`));
    }, timeoutMs);
    const listener = (...args: unknown[]): void => {
      if (!(accept as (...a: unknown[]) => boolean)(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    };
    emitter.on(event, listener);
  });
}

/** Waits until a client reports an error with this reqId (optionally with a given code). */
export function nextError(
  client: ApiClient,
  reqId: number,
  code?: number,
  timeoutMs = 5000,
): Promise<ReportedError> {
  const seen = client.errors.find((e) => e.reqId === reqId && (code === undefined || e.code === code));
  if (seen) return Promise.resolve(seen);
  return once(
    client.ib,
    EventName.error,
    ((_e: Error, c: number, id: number) => id === reqId && (code === undefined || c === code)) as never,
    timeoutMs,
  ).then(([error, c, id]) => ({ code: c as number, reqId: id as number, message: (error as Error).message }));
}

/** Waits for an info (reqId -1) with a code. */
export function nextInfo(client: ApiClient, code: number, timeoutMs = 5000): Promise<ReportedInfo> {
  const seen = client.infos.find((i) => i.code === code);
  if (seen) return Promise.resolve(seen);
  return once(client.ib, EventName.info, ((_m: string, c: number) => c === code) as never, timeoutMs).then(
    ([message, c]) => ({ code: c as number, message: message as string }),
  );
}

/** Outcome of one historical request through IBApi. */
export type BarsResult =
  | { readonly ok: true; readonly bars: ClientBar[]; readonly end: string }
  | { readonly ok: false; readonly error: ReportedError };

/** Arguments of reqHistoricalData after reqId and contract. */
export interface BarsRequest {
  readonly end?: string;
  readonly duration: string;
  readonly barSize: string;
  readonly whatToShow?: string;
  readonly useRth?: boolean;
  readonly formatDate?: number;
}

/**
 * Requests bars through IBApi and resolves with them, or with the first fatal error for the reqId
 * (warnings such as 2174 are ignored, as clients do).
 */
export function requestBars(
  client: ApiClient,
  reqId: number,
  contract: Contract,
  request: BarsRequest,
  timeoutMs = 10_000,
): Promise<BarsResult> {
  const { ib } = client;
  return new Promise((resolve, reject) => {
    const bars: ClientBar[] = [];
    const cleanup = (): void => {
      clearTimeout(timer);
      ib.off(EventName.historicalData, onBar);
      ib.off(EventName.error, onError);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`No answer to historical request ${reqId}`));
    }, timeoutMs);
    const onBar = (
      id: number,
      time: string,
      open: number,
      high: number,
      low: number,
      close: number,
      volume: number,
      count: number | undefined,
      wap: number,
    ): void => {
      if (id !== reqId) return;
      if (time.startsWith('finished')) {
        cleanup();
        resolve({ ok: true, bars, end: time });
        return;
      }
      bars.push({ time, open, high, low, close, volume, count, wap });
    };
    const onError = (error: Error, code: number, id: number): void => {
      if (id !== reqId || (code >= 2100 && code < 3000)) return;
      cleanup();
      resolve({ ok: false, error: { code, reqId: id, message: error.message } });
    };
    ib.on(EventName.historicalData, onBar);
    ib.on(EventName.error, onError);
    ib.reqHistoricalData(
      reqId,
      contract,
      request.end ?? '',
      request.duration,
      request.barSize as BarSizeSetting,
      (request.whatToShow ?? 'TRADES') as WhatToShow,
      request.useRth === false ? 0 : 1,
      request.formatDate ?? 1,
      false,
    );
  });
}

/** Requests bars and fails the test unless they arrive. */
export async function fetchBars(
  client: ApiClient,
  reqId: number,
  contract: Contract,
  request: BarsRequest,
): Promise<ClientBar[]> {
  const result = await requestBars(client, reqId, contract, request);
  if (!result.ok)
    throw new Error(`Request ${reqId} failed with ${result.error.code}: ${result.error.message}`);
  return result.bars;
}

/** Resolves after `ms` (for letting pacing windows pass; never used to assert durations). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
