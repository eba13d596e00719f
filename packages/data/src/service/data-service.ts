import { setImmediate } from 'node:timers/promises';
import {
  type HealthStatus,
  type KtrdrConfig,
  NotFoundError,
  type OperationHandle,
  OperationRegistry,
  ValidationError,
  loadConfig,
} from '@ktrdr/core';
import { type AsyncDataAdapter, createDataAdapter } from '../adapter/async-data-adapter';
import { type DateInput, formatIsoUtc, toEpochMs } from '../domain/dates';
import { type InstrumentType, type ParsedSymbol, parseInstrumentType, parseSymbol } from '../domain/symbols';
import { TIMEFRAMES, TIMEFRAME_SPECS, type Timeframe, parseTimeframe } from '../domain/timeframes';
import { type IbDataSourceOptions, createIbDataSource } from '../host-service/ib-data-source';
import { type PacingLedger, createPacingLedger } from '../ib/pacing-ledger';
import { PACING_POLICIES, type PacingPolicy } from '../ib/pacing-types';
import { AsyncDataManager, type AsyncDataManagerOptions } from '../manager/async-data-manager';
import { LOAD_MODES, type LoadDataOptions, type LoadDataResult, type LoadMode } from '../manager/load-types';
import { CsvStore, type LoadedSeries, type SeriesInfo } from '../store/csv-store';
import { summarizeLoad, summarizePartialLoad } from './load-summary';
import {
  type StoredBarsAnswer,
  type StoredBarsQuery,
  readStoredBars,
  readStoredSeries,
} from '../store/stored-bars';

/** Options of {@link DataService}. Everything defaults from the configuration. */
export interface DataServiceOptions {
  /** Resolved configuration (default: `loadConfig()`, i.e. environment and defaults). */
  config?: KtrdrConfig;
  /** The adapter (default: per configuration, http to the IB host service or direct IB in-process). */
  adapter?: AsyncDataAdapter;
  /** The bar store (default: CSV files in `config.dataDir`). */
  store?: CsvStore;
  /** Where load operations are registered (share one with the training service to list both). */
  operations?: OperationRegistry;
  /** Tuning of the manager (concurrency, retries). */
  manager?: Omit<AsyncDataManagerOptions, 'adapter' | 'store'>;
  /**
   * More options of the default direct-IB source, over those from the configuration: for example
   * `{ pacing: { timeScale: 60 } }` against a simulator started with `--time-scale 60`. Its pacing
   * ledger defaults to the one under `config.dataDir` (see {@link createPacingLedger}).
   */
  ibSource?: Omit<IbDataSourceOptions, 'host' | 'port' | 'clientId'>;
}

/** A data load request, as the Python API takes it. */
export interface LoadRequest {
  symbol: string;
  timeframe: string;
  mode?: LoadMode;
  start?: DateInput;
  end?: DateInput;
  /** Looks the symbol up as this type only (default: forex pair, stock, then future). */
  instrumentType?: InstrumentType;
  /** Ask IB again for ranges it recently answered with "no data" (see `LoadDataOptions.refetchEmpty`). */
  refetchEmpty?: boolean;
  /** `strict` or `practical` (see `LoadDataOptions.pacing`). Default: the configuration's (`KTRDR_IB_PACING`). */
  pacing?: string;
  /** Cancels the operation. */
  signal?: AbortSignal;
}

/** What is stored for one symbol. */
export interface SymbolSummary {
  symbol: string;
  timeframes: Timeframe[];
  /** True when any of its series is simulated (simulated and real series are listed apart). */
  simulated: boolean;
  series: SeriesInfo[];
}

/** A timeframe with its bar length and IB mapping. */
export interface TimeframeInfo {
  timeframe: Timeframe;
  ms: number;
  ibBarSize: string;
  maxRequestDays: number;
}

/** Stored range of one series. */
export interface DataRange {
  symbol: string;
  timeframe: Timeframe;
  start: string;
  end: string;
  rows: number;
  simulated: boolean;
}

/**
 * The pacing ledger every process with this configuration's data folder shares for its gateway
 * (`<dataDir>/.ktrdr/pacing/<host>_<port>.jsonl`), so that parallel loads, the API and the IB host
 * service on one gateway pace together.
 */
export function defaultPacingLedger(config: KtrdrConfig): PacingLedger {
  return createPacingLedger({ dataDir: config.dataDir, host: config.ib.host, port: config.ib.port });
}

/** A {@link LoadRequest} once validated: what `AsyncDataManager.loadData` takes. */
interface ParsedLoadRequest extends Omit<LoadDataOptions, 'signal' | 'onProgress'> {
  symbol: ParsedSymbol;
  timeframe: Timeframe;
  mode: LoadMode;
}

/**
 * Validates a load request, the one place it is parsed.
 * @throws ValidationError naming the field at fault.
 */
function parseLoadRequest(request: LoadRequest): ParsedLoadRequest {
  const symbol = parseSymbol(request.symbol);
  const timeframe = parseTimeframe(request.timeframe);
  const mode = request.mode ?? 'tail';
  if (!LOAD_MODES.includes(mode)) {
    throw new ValidationError(`Unknown load mode '${String(mode)}': use one of ${LOAD_MODES.join(', ')}.`, {
      details: { field: 'mode', accepted: [...LOAD_MODES] },
    });
  }
  const start = request.start === undefined ? undefined : toEpochMs(request.start, 'start');
  const end = request.end === undefined ? undefined : toEpochMs(request.end, 'end');
  const instrumentType =
    request.instrumentType === undefined ? undefined : parseInstrumentType(request.instrumentType);
  if (start !== undefined && end !== undefined && start >= end) {
    throw new ValidationError(`start (${formatIsoUtc(start)}) must be before end (${formatIsoUtc(end)})`, {
      details: { field: 'start' },
    });
  }
  const pacing = request.pacing === undefined ? undefined : parsePacing(request.pacing);
  return {
    symbol,
    timeframe,
    mode,
    start,
    end,
    instrumentType,
    refetchEmpty: request.refetchEmpty,
    ...(pacing === undefined ? {} : { pacing }),
  };
}

function parsePacing(value: string): PacingPolicy {
  const policy = PACING_POLICIES.find((p) => p === value);
  if (policy === undefined) {
    throw new ValidationError(`Unknown pacing policy '${value}': use one of ${PACING_POLICIES.join(', ')}.`, {
      details: { field: 'pacing', accepted: [...PACING_POLICIES] },
    });
  }
  return policy;
}

/**
 * The data path's entry point (the seed's DataService): loads as operation handles, cached reads,
 * available symbols and timeframes, stored ranges and health, all async end to end.
 */
export class DataService implements AsyncDisposable {
  readonly config: KtrdrConfig;
  readonly adapter: AsyncDataAdapter;
  readonly store: CsvStore;
  readonly manager: AsyncDataManager;
  readonly operations: OperationRegistry;

  constructor(options: DataServiceOptions = {}) {
    this.config = options.config ?? loadConfig();
    this.adapter =
      options.adapter ??
      createDataAdapter({
        config: this.config,
        createIbSource: (config) =>
          createIbDataSource({
            requestTimeoutMs: config.ib.timeoutMs,
            ...options.ibSource,
            host: config.ib.host,
            port: config.ib.port,
            clientId: config.ib.clientId,
            pacing: {
              ledger: defaultPacingLedger(config),
              profile: config.ib.pacing,
              ...options.ibSource?.pacing,
            },
          }),
      });
    this.store = options.store ?? new CsvStore({ dataDir: this.config.dataDir });
    this.operations = options.operations ?? new OperationRegistry();
    this.manager = new AsyncDataManager({
      pacing: this.config.ib.pacing,
      minuteBarSessions: this.config.ib.minuteBarSessions,
      ...options.manager,
      adapter: this.adapter,
      store: this.store,
    });
  }

  /**
   * Starts a load as an operation (type `data_load`) and resolves with its handle at once (like
   * `TrainingService.startTraining`). This is the boundary: the request is validated here, once,
   * and bad input rejects before any operation exists; the manager takes the parsed values.
   */
  async loadData(request: LoadRequest): Promise<OperationHandle<LoadDataResult>> {
    const { symbol, timeframe, ...options } = parseLoadRequest(request);
    return this.operations.start(
      'data_load',
      async ({ signal, reportProgress }) => {
        // The caller gets the handle after an `await`: start on the next turn, once it has subscribed.
        await setImmediate();
        return this.manager.loadData(symbol, timeframe, { ...options, signal, onProgress: reportProgress });
      },
      {
        signal: request.signal,
        summarize: summarizeLoad,
        summarizeFailure: summarizePartialLoad,
        metadata: {
          symbol,
          timeframe,
          mode: options.mode,
          instrument_type: options.instrumentType ?? null,
          // The policy the load runs under, so every client can show it.
          pacing: options.pacing ?? this.manager.pacingPolicy,
          start_date: options.start === undefined ? null : formatIsoUtc(options.start),
          end_date: options.end === undefined ? null : formatIsoUtc(options.end),
        },
      },
    );
  }

  /**
   * Reads a stored series without fetching: real data first, simulated data when no real series
   * exists (the result says which).
   */
  async loadCachedData(
    symbol: string,
    timeframe: string,
    options: { start?: DateInput; end?: DateInput } = {},
  ): Promise<LoadedSeries> {
    const loaded = await readStoredSeries(this.store, { symbol, timeframe, ...options });
    // Labelled, so that every display of the bars says whether they are simulated.
    const info = { symbol: loaded.symbol, timeframe: loaded.timeframe, simulated: loaded.simulated };
    return { ...loaded, frame: loaded.frame.withInfo(info) };
  }

  /** The last `limit` (or all) stored bars of a range, as the data API answers them; fetches nothing. */
  getStoredBars(query: StoredBarsQuery): Promise<StoredBarsAnswer> {
    return readStoredBars(this.store, query);
  }

  /** Symbols with stored data, each with its timeframes. */
  async getAvailableSymbols(): Promise<SymbolSummary[]> {
    const bySymbol = new Map<string, SymbolSummary>();
    for (const series of await this.store.list()) {
      const key = `${series.symbol}:${series.simulated}`;
      const entry = bySymbol.get(key) ?? {
        symbol: series.symbol,
        timeframes: [],
        simulated: series.simulated,
        series: [],
      };
      entry.timeframes.push(series.timeframe);
      entry.series.push(series);
      bySymbol.set(key, entry);
    }
    return [...bySymbol.values()].sort(
      (a, b) => a.symbol.localeCompare(b.symbol) || Number(a.simulated) - Number(b.simulated),
    );
  }

  /** Every supported timeframe with its IB mapping. */
  getTimeframes(): TimeframeInfo[] {
    return TIMEFRAMES.map((timeframe) => ({ timeframe, ...TIMEFRAME_SPECS[timeframe] }));
  }

  /** First and last stored bar of a series (real first, then simulated). */
  async getDataRange(symbol: string, timeframe: string): Promise<DataRange> {
    const sym = parseSymbol(symbol);
    const tf = parseTimeframe(timeframe);
    for (const simulated of [false, true]) {
      const range = await this.store.dateRange(sym, tf, { simulated });
      if (range !== undefined) {
        return {
          symbol: sym,
          timeframe: tf,
          start: formatIsoUtc(range.start),
          end: formatIsoUtc(range.end),
          rows: range.rows,
          simulated,
        };
      }
    }
    throw new NotFoundError(`No ${tf} data stored for ${sym}: load it first.`, {
      details: { symbol: sym, timeframe: tf },
    });
  }

  /** Health of the data path (the adapter's host service or direct connection). */
  healthCheck(): Promise<HealthStatus> {
    return this.adapter.healthCheck();
  }

  /** Cancels running loads and closes the adapter's connections. */
  async close(): Promise<void> {
    await this.operations.cancelAll('Data service closing');
    await this.adapter.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
