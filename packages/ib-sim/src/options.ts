/**
 * Simulator options and their defaults.
 */
import type { InstrumentInput } from './market/instrument';
import { MAX_SUPPORTED_SERVER_VERSION, MIN_SUPPORTED_SERVER_VERSION } from './protocol/handshake';
import type { DurationLimitProfile } from './server/duration-limits';
import type { IbSimulatorFaults } from './server/faults';
import type { LatencySpec } from './server/latency';
import { validateLatency } from './server/latency';
import type { PacingMode } from './server/pacing';
import { DEFAULT_SOFT_PACING, type SoftPacingModel } from './server/soft-pacing';

/** Options of {@link startIbSimulator}. Every field is optional. */
export interface IbSimulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (the default for the library; the bin defaults to 4002). */
  readonly port?: number;
  /**
   * Highest server version to announce (164-193, default 193). The handshake negotiates down to
   * the client's maximum, as a gateway does.
   */
  readonly serverVersion?: number;
  /** Seed of the synthetic data (mixed with each symbol name) and of latency draws. Default 1. */
  readonly seed?: number | string;
  /** Response latency: milliseconds, a uniform `{ min, max }` range, or a function. Default 0. */
  readonly latencyMs?: LatencySpec;
  /**
   * Realism profile: `practical` (default) applies the duration limits a gateway honours in practice
   * and the pacing rules to bars of 30 s or less; `strict` applies IB's documented duration table and
   * every pacing rule to every bar size; `off` applies neither.
   */
  readonly pacing?: PacingMode;
  /** Overrides the duration-limit profile chosen by `pacing`. */
  readonly durationLimits?: DurationLimitProfile;
  /**
   * How a request within IB's step-size table but over the practical cap is answered: `error`
   * (default) with 162 "Time length exceed max.", or `timeout`, never (as gateways do with 1-minute
   * bars over 5 days); the client's cancel then ends it.
   */
  readonly durationOverrun?: 'error' | 'timeout';
  /**
   * The soft slowdown of bars over 30 s in `practical` mode (see `SoftPacingModel`: every parameter
   * is an assumption, IB publishes none). Partial values override the defaults; `false` disables it.
   */
  readonly softPacing?: Partial<SoftPacingModel> | false;
  /**
   * Speed-up of the pacing windows: 60 makes the 10-minute window pass in 10 s (and the 15 s / 2 s
   * windows in 0.25 s / 33 ms). Default 1.
   */
  readonly timeScale?: number;
  /** Clock of the simulated market ("now" for empty endDateTime, current time, live bars). Default: system clock. */
  readonly now?: () => Date;
  /** Faults active from the start; change them later with `setFaults`. */
  readonly faults?: IbSimulatorFaults;
  /** Start with {@link DEFAULT_UNIVERSE} (default true). */
  readonly defaultUniverse?: boolean;
  /** Extra symbols (replacing default ones with the same symbol). */
  readonly instruments?: readonly InstrumentInput[];
  /** Interval of HISTORICAL_DATA_UPDATE messages for keepUpToDate requests. Default 5000 ms. */
  readonly keepUpToDateIntervalMs?: number;
  /** Record every received message in `messages` (default true; switch off for long soak runs). */
  readonly recordMessages?: boolean;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly serverVersion: number;
  readonly seed: number | string;
  readonly latencyMs: LatencySpec;
  readonly pacing: PacingMode;
  readonly durationLimits: DurationLimitProfile;
  readonly durationOverrun: 'error' | 'timeout';
  /** Undefined when there is no soft slowdown (strict or off pacing, or disabled). */
  readonly softPacing: SoftPacingModel | undefined;
  readonly timeScale: number;
  readonly now: () => Date;
  readonly faults: IbSimulatorFaults;
  readonly defaultUniverse: boolean;
  readonly instruments: readonly InstrumentInput[];
  readonly keepUpToDateIntervalMs: number;
  readonly recordMessages: boolean;
}

const PACING_MODES: readonly PacingMode[] = ['strict', 'practical', 'off'];

/** Applies defaults and validates; throws `RangeError`/`TypeError` naming the offending option. */
export function resolveOptions(options: IbSimulatorOptions = {}): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer in 0..65535, got ${port}`);
  }
  const serverVersion = options.serverVersion ?? MAX_SUPPORTED_SERVER_VERSION;
  if (
    !Number.isInteger(serverVersion) ||
    serverVersion < MIN_SUPPORTED_SERVER_VERSION ||
    serverVersion > MAX_SUPPORTED_SERVER_VERSION
  ) {
    throw new RangeError(
      `serverVersion must be an integer in ${MIN_SUPPORTED_SERVER_VERSION}..${MAX_SUPPORTED_SERVER_VERSION}, got ${serverVersion}`,
    );
  }
  const pacing = options.pacing ?? 'practical';
  if (!PACING_MODES.includes(pacing)) {
    throw new TypeError(`pacing must be one of ${PACING_MODES.join(', ')}, got "${String(pacing)}"`);
  }
  const timeScale = options.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0)
    throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
  const keepUpToDateIntervalMs = options.keepUpToDateIntervalMs ?? 5000;
  if (!(keepUpToDateIntervalMs > 0)) {
    throw new RangeError(`keepUpToDateIntervalMs must be > 0, got ${keepUpToDateIntervalMs}`);
  }
  return {
    host: options.host ?? '127.0.0.1',
    port,
    serverVersion,
    seed: options.seed ?? 1,
    latencyMs: validateLatency(options.latencyMs ?? 0),
    pacing,
    durationLimits: options.durationLimits ?? pacing,
    durationOverrun: options.durationOverrun ?? 'error',
    softPacing:
      pacing !== 'practical' || options.softPacing === false
        ? undefined
        : { ...DEFAULT_SOFT_PACING, ...options.softPacing },
    timeScale,
    now: options.now ?? (() => new Date()),
    faults: options.faults ?? {},
    defaultUniverse: options.defaultUniverse ?? true,
    instruments: options.instruments ?? [],
    keepUpToDateIntervalMs,
    recordMessages: options.recordMessages ?? true,
  };
}
