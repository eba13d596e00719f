import {
  AsyncHostService,
  CONFIG_DEFAULTS,
  type CallOptions,
  type HealthStatus,
  type KtrdrConfig,
  RateLimitedError,
  type ServiceClient,
  type HttpTransportChoice,
  type Transport,
  type TransportChoice,
  resolveTransportChoice,
  retryInterceptor,
  sleep,
} from '@ktrdr/core';
import { type DateInput, formatIsoUtc, toEpochMs } from '../domain/dates';
import type { InstrumentType } from '../domain/symbols';
import type { Timeframe } from '../domain/timeframes';
import { createIbHostService } from '../host-service/create-ib-host-service';
import type { HistoricalDataSource, SourceBars } from '../host-service/historical-data-source';
import type { PacingPolicy } from '../ib/pacing-types';
import {
  type ContractInfo,
  type IbHostContract,
  type SymbolMatch,
  MAX_HISTORICAL_WAIT_MS,
  ibHostContract,
} from '../host-service/ib-host-contract';
import { fromWireBars } from '../host-service/wire-bars';
import { CallSlots } from './call-slots';

/** How an {@link AsyncDataAdapter} reaches its data. */
export type DataAdapterTransportOptions =
  /** An IB host service over HTTP (another process or machine). */
  | {
      kind: 'http';
      url: string;
      token?: string;
      /** Per-attempt timeout, ms (default: `deadlineMs`). */
      timeoutMs?: number;
      /**
       * Total deadline of one call, retries included, ms (default 30 000; `IB_HOST_SERVICE_TIMEOUT`
       * through {@link createDataAdapter}). A wait for IB's pacing is not a failure: the service
       * answers "still waiting" within a third of it, and the adapter asks again.
       */
      deadlineMs?: number;
      urlVariable?: string;
    }
  /** The host-service routes in this process, over any data source (the direct IB connection, or yours). */
  | { kind: 'in-process'; source: HistoricalDataSource; transportKind?: string }
  /**
   * Whatever the configuration says (`USE_IB_HOST_SERVICE`): the IB host service over HTTP with
   * `token`, or in-process over the source `createIbSource` builds (called only then).
   */
  | {
      kind: 'config';
      config: KtrdrConfig;
      token?: string;
      createIbSource: (config: KtrdrConfig) => HistoricalDataSource;
    }
  /** Any transport speaking the IB host service contract. */
  | { kind: 'transport'; transport: Transport };

/** Options of {@link AsyncDataAdapter.fetchHistoricalData}. */
export interface FetchHistoricalOptions extends Pick<CallOptions, 'signal' | 'timeoutMs'> {
  start: DateInput;
  end: DateInput;
  instrumentType?: InstrumentType;
  /** The load's pacing policy. Default: the data source's (or IB host service's) own. */
  pacing?: PacingPolicy;
  /** Called each time the IB host service says it is still waiting (for a pacing slot or for IB). */
  onWaiting?: (waiting: { waitedMs: number }) => void;
}

/** Answer of {@link AsyncDataAdapter.validateSymbol}. */
export interface SymbolValidation {
  isValid: boolean;
  errorMessage: string | null;
  contractInfo: ContractInfo | null;
  /** Head timestamp per requested timeframe, epoch ms, or null when unknown. */
  headTimestamps: Record<string, number | null>;
}

/**
 * The adapter's options as a choice for the one transport selector, with the data path's HTTP
 * defaults filled in; `onSource` receives the in-process source when one is built.
 */
function transportChoice(
  options: DataAdapterTransportOptions,
  onSource: (source: HistoricalDataSource) => void,
): TransportChoice {
  const inProcess = (source: HistoricalDataSource) => {
    onSource(source);
    return createIbHostService(source);
  };
  switch (options.kind) {
    case 'http': {
      const deadlineMs = options.deadlineMs ?? CONFIG_DEFAULTS.ib.hostServiceTimeoutMs;
      return {
        ...options,
        urlVariable: options.urlVariable ?? 'IB_HOST_SERVICE_URL',
        deadlineMs,
        deadlineVariable: 'IB_HOST_SERVICE_TIMEOUT',
        connections: HTTP_CONNECTIONS,
      };
    }
    case 'in-process':
      return {
        kind: 'in-process',
        implementation: inProcess(options.source),
        transportKind: options.transportKind,
      };
    case 'config':
      return resolveTransportChoice({
        kind: 'config',
        service: 'ib',
        config: options.config,
        token: options.token,
        inProcess: () => inProcess(options.createIbSource(options.config)),
        transportKind: 'ib',
        connections: HTTP_CONNECTIONS,
      });
    case 'transport':
      return options;
  }
}

/**
 * Sockets to the IB host service, and bar fetches at once over them. The service may hold each bar
 * fetch for a third of the deadline, so a fetch queued for a socket would spend its deadline there: bar
 * fetches beyond {@link HTTP_BAR_FETCHES} wait in the adapter instead, before their deadline starts.
 * 48 is about IB's 50 open requests; the other sockets stay free for validation and health.
 */
const HTTP_CONNECTIONS = 64;
const HTTP_BAR_FETCHES = 48;

/**
 * How long the service may hold a bar fetch before saying "still waiting": a third of what one
 * attempt may last, so that the answer (bars to encode, send and decode, on a busy machine) still
 * arrives well inside the attempt's timeout and the call's deadline.
 */
function holdFor(choice: HttpTransportChoice): number {
  const deadlineMs = choice.deadlineMs ?? CONFIG_DEFAULTS.ib.hostServiceTimeoutMs;
  const third = Math.floor(Math.min(choice.timeoutMs ?? deadlineMs, deadlineMs) / 3);
  return Math.max(1, Math.min(third, MAX_HISTORICAL_WAIT_MS));
}

const HISTORICAL_ROUTE = ibHostContract.routes.historical;

/**
 * The data path's one retry policy: a bar fetch makes one attempt per call, because the data
 * manager's segment fetcher owns its attempts (and the IB client retries IB's pacing violations,
 * below the host service); every other call keeps the transport's retries inside its deadline.
 */
const barFetchRetries = retryInterceptor((request) =>
  request.method === HISTORICAL_ROUTE.method && request.path === HISTORICAL_ROUTE.path ? 0 : undefined,
);

/** A "still waiting" answer of the IB host service: not a failure, ask again with its fetch id. */
function pendingFetchId(error: unknown): string | undefined {
  if (!(error instanceof RateLimitedError) || error.details['pending'] !== true) return undefined;
  const id = error.details['fetchId'];
  return typeof id === 'string' ? id : undefined;
}

/**
 * The data path's communication layer (the seed's AsyncDataAdapter): fetches bars, validates symbols
 * and reads head timestamps through one transport: http to an IB host service, or the same routes
 * in-process over the direct IB connection or a source of your own.
 *
 * Over HTTP, every call has one total deadline with the transport's retries inside it, except bar
 * fetches: their retries belong to the data manager's segment fetcher, so the transport makes one
 * attempt. A bar fetch asks the service to answer within a third of the deadline; while the service is
 * waiting for IB's pacing it says so, keeps the request's place, and the adapter asks again: a
 * pacing wait of any length is never a timeout.
 */
export class AsyncDataAdapter extends AsyncHostService {
  private readonly client: ServiceClient<IbHostContract>;
  private source: HistoricalDataSource | undefined;
  /** Longest hold asked of the service per bar fetch, ms; undefined: wait for the answer. */
  private readonly holdMs: number | undefined;
  /** Bar fetches at once over HTTP (see {@link HTTP_BAR_FETCHES}); none in-process. */
  private readonly barFetches: CallSlots | undefined;

  constructor(options: DataAdapterTransportOptions) {
    let source: HistoricalDataSource | undefined;
    const choice = transportChoice(options, (built) => (source = built));
    super(ibHostContract.name, choice, [barFetchRetries]);
    this.source = source;
    this.holdMs = choice.kind === 'http' ? holdFor(choice) : undefined;
    this.barFetches = choice.kind === 'http' ? new CallSlots(HTTP_BAR_FETCHES) : undefined;
    this.client = this.clientFor(ibHostContract);
  }

  /** Bars of `symbol` in `[start, end)`, labelled real or simulated. */
  async fetchHistoricalData(
    symbol: string,
    timeframe: Timeframe,
    options: FetchHistoricalOptions,
  ): Promise<SourceBars> {
    const input = {
      symbol,
      timeframe,
      start: formatIsoUtc(toEpochMs(options.start, 'start')),
      end: formatIsoUtc(toEpochMs(options.end, 'end')),
      instrument_type: options.instrumentType,
      pacing: options.pacing,
      // A tighter per-call timeout asks for a shorter hold, in the same proportion.
      wait_ms:
        this.holdMs === undefined || options.timeoutMs === undefined
          ? this.holdMs
          : Math.max(1, Math.min(this.holdMs, Math.floor(options.timeoutMs / 3))),
    };
    const call = { signal: options.signal, timeoutMs: options.timeoutMs };
    const fetch = async (): Promise<SourceBars> => {
      for (let fetchId: string | undefined; ;) {
        try {
          const response = await this.client.historical({ ...input, fetch_id: fetchId }, call);
          return { frame: fromWireBars(response.data), simulated: response.simulated };
        } catch (error) {
          fetchId = pendingFetchId(error);
          if (fetchId === undefined) throw error;
          const pending = error as RateLimitedError;
          const waitedMs = pending.details['waitedMs'];
          options.onWaiting?.({ waitedMs: typeof waitedMs === 'number' ? waitedMs : 0 });
          await sleep(pending.retryAfterMs ?? 0, options.signal);
        }
      }
    };
    return this.barFetches === undefined ? fetch() : this.barFetches.run(fetch, options.signal);
  }

  /** Whether the broker knows `symbol`, with its contract info and head timestamps. */
  async validateSymbol(
    symbol: string,
    options: { timeframes?: Timeframe[]; instrumentType?: InstrumentType } & Pick<CallOptions, 'signal'> = {},
  ): Promise<SymbolValidation> {
    const response = await this.client.validate(
      { symbol, timeframes: options.timeframes, instrument_type: options.instrumentType },
      { signal: options.signal },
    );
    const headTimestamps: Record<string, number | null> = {};
    for (const [timeframe, iso] of Object.entries(response.head_timestamps)) {
      headTimestamps[timeframe] = iso === null ? null : Date.parse(iso);
    }
    return {
      isValid: response.is_valid,
      errorMessage: response.error_message,
      contractInfo: response.contract_info,
      headTimestamps,
    };
  }

  /** Contract info of `symbol`; rejects with `UnknownSymbolError` when the broker does not know it. */
  async getSymbolInfo(symbol: string, options: Pick<CallOptions, 'signal'> = {}): Promise<ContractInfo> {
    return (await this.client.symbolInfo({ symbol }, options)).contract_info;
  }

  /** Earliest data point of `symbol` (epoch ms), or undefined when unknown. */
  async getHeadTimestamp(
    symbol: string,
    options: { timeframe?: Timeframe; instrumentType?: InstrumentType } & Pick<CallOptions, 'signal'> = {},
  ): Promise<number | undefined> {
    const response = await this.client.headTimestamp(
      { symbol, timeframe: options.timeframe, instrument_type: options.instrumentType },
      { signal: options.signal },
    );
    return response.timestamp === null ? undefined : Date.parse(response.timestamp);
  }

  /**
   * Milliseconds from now until `requests` more fetches of `symbol` are answered, from the data
   * source's own plan (direct IB: the pacing scheduler's). Undefined when the source cannot tell,
   * such as an IB host service over HTTP.
   */
  async estimateFetchMs(
    symbol: string,
    timeframe: Timeframe,
    options: {
      requests: number;
      concurrency?: number;
      instrumentType?: InstrumentType;
      pacing?: PacingPolicy;
      signal?: AbortSignal;
    },
  ): Promise<number | undefined> {
    return this.source?.estimateFetchMs?.({ symbol, timeframe, ...options });
  }

  /**
   * The broker's symbol search (IB `reqMatchingSymbols`): contracts whose symbol or name matches
   * `pattern`, best first, labelled real or simulated.
   * @throws ValidationError for an empty or over-long pattern; NotFoundError when the source has no search.
   */
  async searchSymbols(
    pattern: string,
    options: Pick<CallOptions, 'signal' | 'timeoutMs'> = {},
  ): Promise<{ matches: SymbolMatch[]; simulated: boolean }> {
    const response = await this.client.search({ pattern }, options);
    return { matches: response.matches, simulated: response.simulated };
  }

  /** Health of the service and its gateway connection. */
  async healthCheck(options: CallOptions = {}): Promise<HealthStatus> {
    const health = await this.client.health({}, options);
    return { ...health, mode: this.transport.kind };
  }

  /** Closes the transport and, in-process, the data source's connections. */
  override async close(): Promise<void> {
    await super.close();
    await this.source?.close();
  }
}

/** Options of {@link createDataAdapter}, taken from the resolved configuration. */
export interface CreateDataAdapterOptions {
  config: KtrdrConfig;
  /** Bearer token for the IB host service (the deployment's `KTRDR_API_TOKEN`), over HTTP. */
  token?: string;
  /** Builds the direct-IB source when the configuration says in-process. */
  createIbSource: (config: KtrdrConfig) => HistoricalDataSource;
}

/**
 * The adapter the configuration asks for: http to the IB host service when `USE_IB_HOST_SERVICE`
 * is true, otherwise the host-service routes in-process over the direct IB connection.
 */
export function createDataAdapter(options: CreateDataAdapterOptions): AsyncDataAdapter {
  return new AsyncDataAdapter({ kind: 'config', ...options });
}
