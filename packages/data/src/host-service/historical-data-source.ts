import type { BarFrame } from '../domain/bar-frame';
import type { InstrumentType } from '../domain/symbols';
import type { Timeframe } from '../domain/timeframes';
import type { PacingPolicy } from '../ib/pacing-types';
import type { ContractInfo, SymbolMatch } from './ib-host-contract';

/** A request for the bars of one symbol in `[start, end)`. */
export interface BarsRequest {
  symbol: string;
  timeframe: Timeframe;
  /** Inclusive start, epoch ms UTC. */
  start: number;
  /** Exclusive end, epoch ms UTC. */
  end: number;
  instrumentType?: InstrumentType;
  /**
   * How to pace the request (the load's policy; see `PacingPolicy`). Default: the source's own.
   * Sources that do not pace may ignore it.
   */
  pacing?: PacingPolicy;
  signal?: AbortSignal;
}

/** What {@link HistoricalDataSource.estimateFetchMs} is asked about: the rest of one load. */
export interface FetchEstimateRequest {
  symbol: string;
  timeframe: Timeframe;
  instrumentType?: InstrumentType;
  /** Fetches of the load still to be answered, in flight included. */
  requests: number;
  /** How many the load keeps in flight at once. */
  concurrency?: number;
  /** The load's pacing policy. Default: the source's own. */
  pacing?: PacingPolicy;
  signal?: AbortSignal;
}

/** Bars from a source, labelled real or simulated. */
export interface SourceBars {
  frame: BarFrame;
  /** True when the bars are synthetic (the ktrdr IB simulator). Never mix them with real data. */
  simulated: boolean;
}

/** Connection facts a source reports for `/health`. */
export interface SourceHealth {
  connected: boolean;
  connection_count: number;
  simulated: boolean;
  [key: string]: unknown;
}

/**
 * Where an IB host service gets its data: the direct IB connection, or a user's own source (a
 * vendor API, files) plugged into the in-process transport. Implement this to feed ktrdr anything.
 */
export interface HistoricalDataSource {
  /** Short name shown in health answers, e.g. `ib` or `my-vendor`. */
  readonly name: string;
  fetchBars(request: BarsRequest): Promise<SourceBars>;
  /** Contract facts; rejects with `UnknownSymbolError` for a symbol the source does not know. */
  getContractInfo(
    symbol: string,
    options?: { instrumentType?: InstrumentType; signal?: AbortSignal },
  ): Promise<ContractInfo>;
  /** Earliest data point (epoch ms), or undefined when the source cannot tell. */
  getHeadTimestamp(
    symbol: string,
    options?: { timeframe?: Timeframe; instrumentType?: InstrumentType; signal?: AbortSignal },
  ): Promise<number | undefined>;
  health(): Promise<SourceHealth>;
  /**
   * Optional: milliseconds from now until `requests` more fetches are answered, from the source's
   * own plan (the direct IB source: its pacing scheduler). Undefined or absent when it cannot tell.
   */
  estimateFetchMs?(request: FetchEstimateRequest): Promise<number | undefined>;
  /**
   * The broker's symbol search (optional: a source without one answers the search route with
   * `NotFoundError`). Matches in the broker's order, labelled real or simulated.
   */
  searchSymbols?(
    pattern: string,
    options?: { signal?: AbortSignal },
  ): Promise<{ matches: SymbolMatch[]; simulated: boolean }>;
  /** Releases connections. */
  close(): Promise<void>;
}
