import {
  CancelledError,
  RateLimitedError,
  ServiceTimeoutError,
  UnknownSymbolError,
  raceAbort,
} from '@ktrdr/core';
import type { Timeframe } from '../domain/timeframes';
import { backoffDelay } from './backoff';
import {
  type IbConnectionLease,
  type IbConnectionRegistry,
  type IbSharedConnectionOptions,
  sharedIbConnections,
} from './connection-registry';
import {
  FUTURE_EXCHANGES,
  type IbContractInfo,
  type IbInstrumentType,
  candidateTypes,
  lookupContract,
  normalizeSymbol,
  parseInstrumentType,
  pickFrontFuture,
  toContractInfo,
} from './contracts';
import type { IbContract, IbContractDescription, IbContractDetails } from './ib-api-port';
import { type IbSymbolMatch, parseSearchPattern, toSymbolMatches } from './symbol-search';
import type { IbLogger } from './ib-config';
import type { IbConnectionStatus } from './ib-connection';
import {
  type IbBar,
  type IbWhatToShow,
  buildHistoricalRequest,
  describeHistorical,
  historicalRequestSpec,
  historicalTicket,
  pacingBucket,
  resolveBarSize,
  resolveWhatToShow,
} from './historical-request';
import { type IbDuration, ibBarSeconds, parseIbBarTime } from './ib-time';
import { IB_HISTORICAL_PACING_LIMITS, type PacingPolicy, type PacingStats } from './pacing-scheduler';

/** Options of {@link IbClient}. */
export interface IbClientOptions extends IbSharedConnectionOptions {
  /** Registry the connection is shared through. Default: the process-wide {@link sharedIbConnections}. */
  registry?: IbConnectionRegistry;
  /** Default per-request timeout, from send to last reply. Default 60 000 ms. */
  requestTimeoutMs?: number;
  /**
   * Attempts of a hard-paced historical request (the `strict` policy, or bars of 30 s or less) that
   * IB answers with a pacing violation. Default 4. Under `practical`, a larger bar's pacing
   * violation is a request to slow down: it is retried after a backoff until answered (or the
   * caller's signal aborts) and never fails the request.
   */
  maxPacingAttempts?: number;
}

/** Parameters of {@link IbClient.fetchHistoricalBars}. */
export interface FetchHistoricalBarsParams {
  /** `AAPL`, `EUR.USD`, `ES`. */
  symbol: string;
  /** `STK`/`stock`, `CASH`/`forex`, `FUT`/`futures`; looked up (CASH, STK, FUT) when omitted. */
  instrumentType?: IbInstrumentType | string;
  /** A ktrdr timeframe; give this or `barSize`. */
  timeframe?: Timeframe;
  /** An IB bar size (`'1 min'`); give this or `timeframe`. */
  barSize?: string;
  /** End of the span (exclusive at IB's discretion), any time zone: sent as UTC. */
  end: Date;
  /** Span back from `end`: IB's form (`'1 D'`) or `{ days }`. */
  duration: IbDuration;
  /** Default: BID for forex, TRADES otherwise. */
  whatToShow?: IbWhatToShow | string;
  /** Regular trading hours only. Default false. */
  useRTH?: boolean;
  signal?: AbortSignal;
  /** Per-request timeout in milliseconds (from send; pacing waits do not count). */
  timeoutMs?: number;
  /** Pacing policy of this request. Default: the connection's (`pacing.profile`, default `practical`). */
  pacing?: PacingPolicy;
}

/** Parameters of {@link IbClient.estimateHistoricalFetchMs}. */
export interface HistoricalFetchEstimateParams {
  symbol: string;
  instrumentType?: IbInstrumentType | string;
  /** Default: BID for forex, TRADES otherwise (as {@link IbClient.fetchHistoricalBars}). */
  whatToShow?: IbWhatToShow | string;
  /** Historical requests of the load still to be answered, in flight and waiting included. */
  requests: number;
  /** How many of them the caller keeps in flight at once. */
  concurrency?: number;
  /** Their bar size, as a timeframe or IB bar size: with the policy, decides which rules apply. */
  timeframe?: Timeframe;
  barSize?: string;
  /** Their pacing policy. Default: the connection's. */
  pacing?: PacingPolicy;
  signal?: AbortSignal;
}

/** Bars of one historical request. */
export interface HistoricalBarsResult {
  /** In IB's order (oldest first). */
  bars: IbBar[];
  /** True when they came from the ktrdr simulator, never from a real gateway. */
  simulated: boolean;
}

/** Options shared by the smaller calls. */
export interface IbCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Options of {@link IbClient.getHeadTimestamp}. */
export interface HeadTimestampOptions extends IbCallOptions {
  instrumentType?: IbInstrumentType | string;
  /** Default: BID for forex, TRADES otherwise. */
  whatToShow?: IbWhatToShow | string;
  /** Default false. */
  useRTH?: boolean;
}

/** {@link IbContractInfo} plus where it came from. */
export type ContractDetailsResult = IbContractInfo & { simulated: boolean };

/** Status of a client and its shared connection. */
export interface IbClientStatus extends IbConnectionStatus {
  /** Live shared connections in this client's registry (the Python system's `connection_count`). */
  connectionCount: number;
  pacing: PacingStats;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
// Pacing waits shorter than this are routine and not logged.
const PACING_WAIT_LOG_MS = 1_000;

/**
 * A direct Interactive Brokers client on `@stoqey/ib`'s raw `IBApi`: historical bars, contract
 * details, head timestamps and the server time over a shared, self-healing connection, with IB's
 * historical pacing rules enforced before sending.
 *
 * Clients with the same host, port and client id share one connection (see
 * {@link IbConnectionRegistry}); {@link IbClient.close} gives this client's reference back.
 * Nothing connects until the first call (or {@link IbClient.connect}).
 */
export class IbClient {
  private readonly lease: IbConnectionLease;
  private readonly registry: IbConnectionRegistry;
  private readonly requestTimeoutMs: number;
  private readonly maxPacingAttempts: number;
  private readonly random: () => number;
  private readonly logger: IbLogger;
  private closed = false;

  constructor(options: IbClientOptions = {}) {
    this.registry = options.registry ?? sharedIbConnections;
    this.lease = this.registry.acquire(options);
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxPacingAttempts = Math.max(1, options.maxPacingAttempts ?? 4);
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? {};
  }

  /** True when connected to the ktrdr simulator (known once connected). */
  get isSimulated(): boolean {
    return this.lease.connection.isSimulated;
  }

  /** Connects now (if not already) and returns the status; useful as a health check. */
  async connect(options: { signal?: AbortSignal } = {}): Promise<IbClientStatus> {
    this.assertOpen();
    await this.lease.connection.ready(options.signal);
    return this.status();
  }

  /** Connection, pacing and request counters. Does not connect. */
  status(): IbClientStatus {
    return {
      ...this.lease.connection.status(),
      connectionCount: this.registry.size,
      pacing: this.lease.pacing.stats,
    };
  }

  /**
   * Historical bars for one request. Waits for a pacing slot first, retries a pacing violation IB
   * reports anyway (bounded), and fails with a typed error otherwise:
   * {@link UnknownSymbolError}, `DataUnavailableError` (no data), `ValidationError` (bad input or
   * span too long), `ServiceTimeoutError` (a cancel is sent), {@link CancelledError} (signal; a
   * cancel is sent), `ServiceConnectionError`, {@link RateLimitedError} (violations persisted).
   */
  async fetchHistoricalBars(params: FetchHistoricalBarsParams): Promise<HistoricalBarsResult> {
    this.assertOpen();
    const barSize = resolveBarSize(params.timeframe, params.barSize);
    const symbol = normalizeSymbol(params.symbol);
    const type = params.instrumentType === undefined ? undefined : parseInstrumentType(params.instrumentType);
    // Validate the rest before any network work, so a bad call costs IB nothing.
    buildHistoricalRequest({ contract: { secType: type ?? 'STK' }, ...params, barSize });
    const endUse = this.lease.connection.beginUse();
    try {
      const contract = await this.contractFor(symbol, type, params.signal);
      const request = buildHistoricalRequest({ ...params, contract, barSize });
      const bars = await this.sendPaced(request, params.signal, params.timeoutMs ?? this.requestTimeoutMs);
      return { bars, simulated: this.lease.connection.isSimulated };
    } finally {
      endUse();
    }
  }

  /**
   * How long, in milliseconds from now, until `requests` more historical requests for `symbol`
   * are answered if sent as early as IB's pacing rules allow: the pacing scheduler's plan (its
   * `estimateCompletionMs`), counting what this connection and, with a shared ledger, other
   * processes already sent. An estimate: request times are this connection's average so far.
   * Undefined for requests under the adaptive throttle before any request was answered: their
   * time is the gateway's answer time, which nothing has measured yet.
   */
  async estimateHistoricalFetchMs(params: HistoricalFetchEstimateParams): Promise<number | undefined> {
    this.assertOpen();
    const symbol = normalizeSymbol(params.symbol);
    const type = params.instrumentType === undefined ? undefined : parseInstrumentType(params.instrumentType);
    const endUse = this.lease.connection.beginUse();
    try {
      const contract = await this.contractFor(symbol, type, params.signal);
      const whatToShow = resolveWhatToShow(contract.secType, params.whatToShow);
      const barSize =
        params.timeframe === undefined && params.barSize === undefined
          ? undefined
          : resolveBarSize(params.timeframe, params.barSize);
      const policy = {
        ...(barSize === undefined ? {} : { barSeconds: ibBarSeconds(barSize) }),
        ...(params.pacing === undefined ? {} : { policy: params.pacing }),
      };
      if (!this.lease.pacing.isHard(policy) && !this.lease.pacing.hasMeasuredRequests) return undefined;
      return this.lease.pacing.estimateCompletionMs({
        ...policy,
        count: params.requests,
        bucket: pacingBucket(contract, whatToShow),
        weight: whatToShow === 'BID_ASK' ? 2 : 1,
        concurrency: params.concurrency,
      });
    } finally {
      endUse();
    }
  }

  /**
   * What `symbol` is at IB. With no type, tries CASH (currency pairs only), STK, then FUT, and for
   * futures picks the front contract on CME (then GLOBEX). Results are cached (30 days by default).
   * @throws UnknownSymbolError when no type matches.
   */
  async getContractDetails(
    symbol: string,
    instrumentType?: IbInstrumentType | string,
    options: IbCallOptions = {},
  ): Promise<ContractDetailsResult> {
    this.assertOpen();
    const normalized = normalizeSymbol(symbol);
    const type = instrumentType === undefined ? undefined : parseInstrumentType(instrumentType);
    const endUse = this.lease.connection.beginUse();
    try {
      const info = await this.resolveContract(normalized, type, options);
      return { ...info, simulated: this.lease.connection.isSimulated };
    } finally {
      endUse();
    }
  }

  /** The earliest time IB has data for `symbol` (cached 24 h by default). */
  async getHeadTimestamp(
    symbol: string,
    options: HeadTimestampOptions = {},
  ): Promise<{ timestamp: Date; simulated: boolean }> {
    this.assertOpen();
    const normalized = normalizeSymbol(symbol);
    const type =
      options.instrumentType === undefined ? undefined : parseInstrumentType(options.instrumentType);
    const endUse = this.lease.connection.beginUse();
    try {
      const contract = await this.contractFor(normalized, type, options.signal);
      const whatToShow = resolveWhatToShow(contract.secType, options.whatToShow);
      const useRTH = options.useRTH ?? false;
      const key = JSON.stringify([normalized, contract.secType, contract.conId ?? null, whatToShow, useRTH]);
      const load = (): Promise<number> =>
        this.sendHeadTimestamp(contract, whatToShow, useRTH, options.timeoutMs ?? this.requestTimeoutMs);
      const ms = await raceAbort(
        this.lease.headTimestamps.getOrLoad(key, load),
        options.signal,
        'IB head timestamp',
      );
      return { timestamp: new Date(ms), simulated: this.lease.connection.isSimulated };
    } finally {
      endUse();
    }
  }

  /**
   * IB's symbol search: the contracts whose symbol or name matches `pattern` (stocks, ETFs, forex,
   * futures, crypto), as IB ranks them; empty when nothing matches.
   * @throws ValidationError for an empty or over-long pattern.
   */
  async searchSymbols(
    pattern: string,
    options: IbCallOptions = {},
  ): Promise<{ matches: IbSymbolMatch[]; simulated: boolean }> {
    this.assertOpen();
    const wanted = parseSearchPattern(pattern);
    const samples = await this.lease.connection.request<IbContractDescription[]>({
      kind: 'symbolSearch',
      description: `symbol search '${wanted}'`,
      timeoutMs: options.timeoutMs ?? this.requestTimeoutMs,
      signal: options.signal,
      send: (api, reqId) => api.reqMatchingSymbols?.(reqId, wanted),
      onEvent: (event, controls) => {
        if (event.type === 'symbolSamples') controls.resolve(event.samples);
      },
    });
    return { matches: toSymbolMatches(samples), simulated: this.lease.connection.isSimulated };
  }

  /** The gateway's current time. */
  async getCurrentTime(options: IbCallOptions = {}): Promise<{ time: Date; simulated: boolean }> {
    this.assertOpen();
    const seconds = await this.lease.connection.request<number>({
      kind: 'currentTime',
      description: 'current time',
      timeoutMs: options.timeoutMs ?? this.requestTimeoutMs,
      signal: options.signal,
      send: (api) => api.reqCurrentTime(),
      onEvent: (event, controls) => {
        if (event.type === 'currentTime') controls.resolve(event.epochSeconds);
      },
    });
    return { time: new Date(seconds * 1000), simulated: this.lease.connection.isSimulated };
  }

  /**
   * Gives this client's reference to the shared connection back; the last client closes it (its
   * pending requests fail with {@link CancelledError}). Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lease.release();
  }

  // ---- internals -------------------------------------------------------------------------------

  /**
   * Sends a historical request through the pacing scheduler. A pacing violation IB reports anyway
   * pauses the request's bucket and is retried: up to `maxPacingAttempts` in all for a hard-paced
   * request, until answered for a throttled one (its policy treats a violation as "slow down").
   */
  private async sendPaced(
    request: ReturnType<typeof buildHistoricalRequest>,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<IbBar[]> {
    const { connection, pacing } = this.lease;
    const ticket = historicalTicket(request);
    const hard = pacing.isHard(ticket);
    for (let attempt = 1; ; attempt++) {
      await connection.ready(signal);
      const queuedAt = Date.now();
      const permit = await pacing.acquire(ticket, signal);
      const waitedMs = Date.now() - queuedAt;
      // Real milliseconds: a long load is mostly such waits, and the log says why it is slow.
      if (waitedMs >= PACING_WAIT_LOG_MS)
        this.logger.info?.(`IB: waited ${waitedMs} ms for a pacing slot: ${describeHistorical(request)}`, {
          waitedMs,
        });
      if (!connection.isReady) {
        // Dropped while waiting for the slot: the request never went out, so it must not count.
        permit.revoke();
        continue;
      }
      let outcome: 'answered' | 'timeout' | 'failed' = 'failed';
      try {
        const spec = historicalRequestSpec(request, { timeoutMs, signal });
        const bars = await connection.send({ ...spec, onWritten: () => permit.markSent() });
        outcome = 'answered';
        return bars;
      } catch (error) {
        if (error instanceof ServiceTimeoutError) outcome = 'timeout';
        if (!(error instanceof RateLimitedError)) throw error;
        // Backoff doubling from the 15 s window up to the 10-minute one (attempts beyond stay there).
        const pauseMs = backoffDelay(
          Math.min(attempt, 8),
          {
            initialDelayMs: pacing.realWindowMs(IB_HISTORICAL_PACING_LIMITS.identicalWindowMs),
            maxDelayMs: pacing.realWindowMs(IB_HISTORICAL_PACING_LIMITS.globalWindowMs),
            jitter: 0.1,
          },
          this.random,
        );
        pacing.noteViolation(ticket, pauseMs);
        this.logger.warn?.(`IB: pacing violation on attempt ${attempt}; pausing ${pauseMs} ms`, {
          request: describeHistorical(request),
          attempt,
          pauseMs,
        });
        if (hard && attempt >= this.maxPacingAttempts) {
          throw new RateLimitedError(
            `${error.message} It persisted over ${attempt} attempts; wait before loading more.`,
            { details: error.details, retryAfterMs: pauseMs, cause: error },
          );
        }
        pacing.noteRetry();
      } finally {
        permit.release(outcome);
      }
    }
  }

  /**
   * Head timestamps are not paced: IB documents the pacing rules for historical bars only, and a
   * head-timestamp query is cancelled (freed) as soon as it is answered.
   */
  private async sendHeadTimestamp(
    contract: IbContract,
    whatToShow: IbWhatToShow,
    useRTH: boolean,
    timeoutMs: number,
  ): Promise<number> {
    // Shared by concurrent callers (through the cache), so it runs without any one caller's signal.
    const raw = await this.lease.connection.request<string>({
      kind: 'headTimestamp',
      description: `head timestamp ${contract.symbol} ${contract.secType} ${whatToShow}`,
      timeoutMs,
      send: (api, reqId) => api.reqHeadTimestamp(reqId, contract, whatToShow, useRTH, 2),
      cancel: (api, reqId) => api.cancelHeadTimestamp(reqId),
      // IB keeps a head-timestamp query open until told otherwise (ib_insync cancels it too).
      finish: (api, reqId) => api.cancelHeadTimestamp(reqId),
      onEvent: (event, controls) => {
        if (event.type === 'headTimestamp') controls.resolve(event.value);
      },
    });
    return parseIbBarTime(raw);
  }

  /**
   * The contract requests are sent with. Stocks and forex of a known type need no lookup (their
   * routing is fixed: SMART/USD, IDEALPRO); futures need their front month, and an unknown type
   * needs the CASH/STK/FUT search, both through the cached contract lookup.
   */
  private async contractFor(
    symbol: string,
    type: IbInstrumentType | undefined,
    signal: AbortSignal | undefined,
  ): Promise<IbContract> {
    if (type === 'STK' || type === 'CASH') return lookupContract(symbol, type);
    return (await this.resolveContract(symbol, type, { signal })).contract;
  }

  private resolveContract(
    symbol: string,
    type: IbInstrumentType | undefined,
    options: IbCallOptions,
  ): Promise<IbContractInfo> {
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const key = `${symbol}|${type ?? '*'}`;
    // The lookup is shared by concurrent callers, so it runs without any one caller's signal;
    // each caller still stops waiting when its own signal aborts.
    const lookup = this.lease.contracts.getOrLoad(key, async () => {
      const info = await this.searchContract(symbol, type, timeoutMs);
      if (type === undefined) this.lease.contracts.set(`${symbol}|${info.instrumentType}`, info);
      return info;
    });
    return raceAbort(lookup, options.signal, `IB contract lookup for ${symbol}`);
  }

  private async searchContract(
    symbol: string,
    type: IbInstrumentType | undefined,
    timeoutMs: number,
  ): Promise<IbContractInfo> {
    const tried: string[] = [];
    for (const candidate of candidateTypes(symbol, type)) {
      const exchanges = candidate === 'FUT' ? FUTURE_EXCHANGES : [undefined];
      for (const exchange of exchanges) {
        tried.push(exchange === undefined ? candidate : `${candidate}@${exchange}`);
        const details = await this.requestContractDetails(symbol, candidate, exchange, timeoutMs);
        const chosen = candidate === 'FUT' ? pickFrontFuture(details) : details[0];
        if (chosen !== undefined) return toContractInfo(symbol, candidate, chosen);
      }
    }
    throw new UnknownSymbolError(
      `IB has no instrument '${symbol}' (tried ${tried.join(', ')}). Check the symbol; write forex as EUR.USD and ` +
        'futures by their root (ES).',
      {
        details: { field: 'symbol', symbol, tried, service: 'ib', endpoint: this.lease.connection.endpoint },
      },
    );
  }

  /** All contract details IB returns for one lookup; empty when IB answers 200 (no such security). */
  private async requestContractDetails(
    symbol: string,
    type: IbInstrumentType,
    exchange: string | undefined,
    timeoutMs: number,
  ): Promise<IbContractDetails[]> {
    const contract = lookupContract(symbol, type, exchange);
    const found: IbContractDetails[] = [];
    try {
      return await this.lease.connection.request<IbContractDetails[]>({
        kind: 'contractDetails',
        description: `contract details ${symbol} ${type}${exchange ? `@${exchange}` : ''}`,
        timeoutMs,
        send: (api, reqId) => api.reqContractDetails(reqId, contract),
        onEvent: (event, controls) => {
          if (event.type === 'contractDetails') found.push(event.details);
          else if (event.type === 'contractDetailsEnd') controls.resolve(found);
        },
      });
    } catch (error) {
      if (error instanceof UnknownSymbolError) return [];
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new CancelledError('This IbClient was closed; create a new one.', { details: { service: 'ib' } });
    }
  }
}

/** Creates an {@link IbClient}; see {@link IbClientOptions}. */
export function createIbClient(options: IbClientOptions = {}): IbClient {
  return new IbClient(options);
}
