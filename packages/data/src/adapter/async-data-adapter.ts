import {
  AsyncHostService,
  type CallOptions,
  type HealthStatus,
  type KtrdrConfig,
  type ServiceClient,
  type Transport,
  createHttpTransport,
  createInProcessTransport,
} from '@ktrdr/core';
import { type DateInput, formatIsoUtc, toEpochMs } from '../domain/dates';
import type { InstrumentType } from '../domain/symbols';
import type { Timeframe } from '../domain/timeframes';
import { createIbHostService } from '../host-service/create-ib-host-service';
import type { HistoricalDataSource, SourceBars } from '../host-service/historical-data-source';
import {
  type ContractInfo,
  type IbHostContract,
  type SymbolMatch,
  ibHostContract,
} from '../host-service/ib-host-contract';
import { fromWireBars } from '../host-service/wire-bars';

/** How an {@link AsyncDataAdapter} reaches its data. */
export type DataAdapterTransportOptions =
  /** An IB host service over HTTP (another process or machine). */
  | { kind: 'http'; url: string; token?: string; timeoutMs?: number; urlVariable?: string }
  /** The host-service routes in this process, over any data source (the direct IB connection, or yours). */
  | { kind: 'in-process'; source: HistoricalDataSource; transportKind?: string }
  /** Any transport speaking the IB host service contract. */
  | { kind: 'transport'; transport: Transport };

/** Options of {@link AsyncDataAdapter.fetchHistoricalData}. */
export interface FetchHistoricalOptions extends Pick<CallOptions, 'signal' | 'timeoutMs'> {
  start: DateInput;
  end: DateInput;
  instrumentType?: InstrumentType;
}

/** Answer of {@link AsyncDataAdapter.validateSymbol}. */
export interface SymbolValidation {
  isValid: boolean;
  errorMessage: string | null;
  contractInfo: ContractInfo | null;
  /** Head timestamp per requested timeframe, epoch ms, or null when unknown. */
  headTimestamps: Record<string, number | null>;
}

function transportFor(options: DataAdapterTransportOptions): Transport {
  switch (options.kind) {
    case 'http':
      return createHttpTransport({
        baseUrl: options.url,
        serviceName: ibHostContract.name,
        urlVariable: options.urlVariable ?? 'IB_HOST_SERVICE_URL',
        timeoutMs: options.timeoutMs,
        token: options.token,
      });
    case 'in-process':
      return createInProcessTransport(createIbHostService(options.source), { kind: options.transportKind });
    case 'transport':
      return options.transport;
  }
}

/**
 * The data path's communication layer (the seed's AsyncDataAdapter): fetches bars, validates symbols
 * and reads head timestamps through one transport: http to an IB host service, or the same routes
 * in-process over the direct IB connection or a source of your own.
 */
export class AsyncDataAdapter extends AsyncHostService {
  private readonly client: ServiceClient<IbHostContract>;
  private readonly source: HistoricalDataSource | undefined;

  constructor(options: DataAdapterTransportOptions) {
    super(ibHostContract.name, { transport: transportFor(options) });
    this.source = options.kind === 'in-process' ? options.source : undefined;
    this.client = this.clientFor(ibHostContract);
  }

  /** Bars of `symbol` in `[start, end)`, labelled real or simulated. */
  async fetchHistoricalData(
    symbol: string,
    timeframe: Timeframe,
    options: FetchHistoricalOptions,
  ): Promise<SourceBars> {
    const response = await this.client.historical(
      {
        symbol,
        timeframe,
        start: formatIsoUtc(toEpochMs(options.start, 'start')),
        end: formatIsoUtc(toEpochMs(options.end, 'end')),
        instrument_type: options.instrumentType,
      },
      { signal: options.signal, timeoutMs: options.timeoutMs },
    );
    return { frame: fromWireBars(response.data), simulated: response.simulated };
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
  /** Builds the direct-IB source when the configuration says in-process. */
  createIbSource: (config: KtrdrConfig) => HistoricalDataSource;
}

/**
 * The adapter the configuration asks for: http to the IB host service when `USE_IB_HOST_SERVICE`
 * is true, otherwise the host-service routes in-process over the direct IB connection.
 */
export function createDataAdapter({ config, createIbSource }: CreateDataAdapterOptions): AsyncDataAdapter {
  return config.ib.useHostService
    ? new AsyncDataAdapter({ kind: 'http', url: config.ib.hostServiceUrl })
    : new AsyncDataAdapter({ kind: 'in-process', source: createIbSource(config), transportKind: 'ib' });
}
