import { resolve } from 'node:path';
import {
  type ValueSource,
  parseBoolean,
  parseChoice,
  parseHost,
  parseHttpUrl,
  parseInteger,
  parsePath,
  parsePositiveMs,
  parseSecondsAsMs,
} from './env-parsers';

/** Settings of the IB data path. */
export interface IbConfig {
  /** Route IB calls to the IB host service over HTTP (`USE_IB_HOST_SERVICE`); otherwise run in-process. */
  useHostService: boolean;
  /** `IB_HOST_SERVICE_URL`. */
  hostServiceUrl: string;
  /** IB Gateway / TWS host for the direct connection (`IB_HOST`). */
  host: string;
  /** `IB_PORT`. */
  port: number;
  /** `IB_CLIENT_ID`. */
  clientId: number;
  /**
   * How long one IB request may go unanswered on the connection to IB Gateway/TWS (`IB_TIMEOUT`,
   * seconds in the environment), in whichever process holds that connection: this one in-process,
   * the IB host service otherwise. Its only meaning.
   */
  timeoutMs: number;
  /**
   * Total deadline of one call to the IB host service, retries included (`IB_HOST_SERVICE_TIMEOUT`,
   * seconds in the environment; default 30). Its own setting, not derived from `IB_TIMEOUT`: it
   * bounds a call between two processes, not an IB request. Waiting for IB's pacing does not count:
   * the host answers "still waiting" within it, and each such answer starts a new call.
   */
  hostServiceTimeoutMs: number;
  /**
   * How historical requests are paced (`KTRDR_IB_PACING`): `practical` (default) applies IB's hard
   * pacing rules to bars of 30 s or less only and throttles larger bars adaptively; `strict` applies
   * the hard rules to every bar size. `ktrdr data load --pacing` overrides it per load.
   */
  pacing: IbPacingPolicy;
  /**
   * Trading sessions one 1-minute-bar request may span under the `practical` policy
   * (`KTRDR_IB_1M_SESSIONS`, 1-5, default 5): IB's step-size table allows more, but longer requests
   * time out in practice. Lower it for a slow gateway.
   */
  minuteBarSessions: number;
}

/** The pacing policies of {@link IbConfig.pacing}. */
export const IB_PACING_POLICIES = ['practical', 'strict'] as const;

/** One of {@link IB_PACING_POLICIES}. */
export type IbPacingPolicy = (typeof IB_PACING_POLICIES)[number];

/** Settings of the training path. */
export interface TrainingConfig {
  /** Route training to the training host service (`USE_TRAINING_HOST_SERVICE`); otherwise train in-process. */
  useHostService: boolean;
  /** `TRAINING_HOST_SERVICE_URL`. */
  hostServiceUrl: string;
}

/** The resolved ktrdr configuration: explicit options, then environment, then defaults. */
export interface KtrdrConfig {
  ib: IbConfig;
  training: TrainingConfig;
  /** Backend API the CLI talks to with `--url` (`KTRDR_API_URL`). */
  apiUrl: string;
  /** Folder of the CSV bar store (`KTRDR_DATA_DIR`), absolute. */
  dataDir: string;
  /** Folder of trained models (`KTRDR_MODELS_DIR`), absolute. */
  modelsDir: string;
}

/** Explicit options: any field given here wins over the environment. */
export interface KtrdrConfigOptions {
  ib?: Partial<IbConfig>;
  training?: Partial<TrainingConfig>;
  apiUrl?: string;
  dataDir?: string;
  modelsDir?: string;
}

/**
 * Defaults. Deliberate difference from the seed's table: with `USE_*_HOST_SERVICE` unset, services
 * run in-process, so a fresh install works with no servers started by hand.
 */
export const CONFIG_DEFAULTS: Readonly<KtrdrConfig> = Object.freeze({
  ib: Object.freeze({
    useHostService: false,
    hostServiceUrl: 'http://localhost:8001',
    host: '127.0.0.1',
    port: 4002,
    clientId: 1,
    timeoutMs: 30_000,
    hostServiceTimeoutMs: 30_000,
    pacing: 'practical',
    minuteBarSessions: 5,
  }),
  training: Object.freeze({ useHostService: false, hostServiceUrl: 'http://localhost:8002' }),
  apiUrl: 'http://localhost:8000/api/v1',
  dataDir: 'data',
  modelsDir: 'models',
});

/** Every environment variable ktrdr reads, with its meaning: the configuration reference. */
export const ENVIRONMENT_VARIABLES = {
  USE_IB_HOST_SERVICE: 'Route IB calls to the IB host service (true/false). Unset: in-process.',
  IB_HOST_SERVICE_URL: `IB host service URL (default ${CONFIG_DEFAULTS.ib.hostServiceUrl}).`,
  USE_TRAINING_HOST_SERVICE: 'Route training to the training host service (true/false). Unset: in-process.',
  TRAINING_HOST_SERVICE_URL: `Training host service URL (default ${CONFIG_DEFAULTS.training.hostServiceUrl}).`,
  IB_HOST: `IB Gateway/TWS host (default ${CONFIG_DEFAULTS.ib.host}).`,
  IB_PORT: `IB Gateway/TWS API port (default ${CONFIG_DEFAULTS.ib.port}).`,
  IB_CLIENT_ID: `IB API client id (default ${CONFIG_DEFAULTS.ib.clientId}).`,
  IB_TIMEOUT: `How long one IB request may go unanswered, in seconds, wherever the IB connection is (default ${CONFIG_DEFAULTS.ib.timeoutMs / 1000}).`,
  IB_HOST_SERVICE_TIMEOUT: `Total deadline of one call to the IB host service, retries included, in seconds (default ${CONFIG_DEFAULTS.ib.hostServiceTimeoutMs / 1000}).`,
  KTRDR_IB_PACING: `How historical requests are paced: practical (IB's hard rules for bars of 30 s or less only, adaptive throttling above) or strict (the hard rules for every bar size); default ${CONFIG_DEFAULTS.ib.pacing}.`,
  KTRDR_IB_1M_SESSIONS: `Trading sessions one 1-minute-bar request may span under practical pacing, 1-5 (default ${CONFIG_DEFAULTS.ib.minuteBarSessions}).`,
  KTRDR_API_URL: `Backend API URL for the CLI's --url mode (default ${CONFIG_DEFAULTS.apiUrl}).`,
  KTRDR_DATA_DIR: `Folder of the bar store (default ./${CONFIG_DEFAULTS.dataDir}).`,
  KTRDR_MODELS_DIR: `Folder of trained models (default ./${CONFIG_DEFAULTS.modelsDir}).`,
} as const;

type Env = Readonly<Record<string, string | undefined>>;
type Parser<T> = (source: ValueSource) => T;

/**
 * Resolves the configuration: explicit `options` > environment > {@link CONFIG_DEFAULTS}. Explicit
 * options are validated like environment values (an option in its own unit: `ib.timeoutMs` is
 * milliseconds where `IB_TIMEOUT` is seconds). Throws `ServiceConfigurationError` naming the
 * variable (or option) and the accepted values for any bad value.
 */
export function loadConfig(options: KtrdrConfigOptions = {}, env: Env = process.env): KtrdrConfig {
  const pick = <T>(
    option: unknown,
    optionName: string,
    variable: string,
    parse: Parser<T>,
    fallback: T,
    parseOption: Parser<T> = parse,
  ): T => {
    if (option !== undefined) return parseOption({ name: optionName, raw: String(option) });
    const raw = env[variable];
    return raw === undefined || raw.trim() === '' ? fallback : parse({ name: variable, raw });
  };
  const d = CONFIG_DEFAULTS;
  const ib = options.ib ?? {};
  const training = options.training ?? {};
  const port: Parser<number> = (s) => parseInteger(s, 1, 65_535);
  const clientId: Parser<number> = (s) => parseInteger(s, 0, 2_147_483_647);
  return {
    ib: {
      useHostService: pick(
        ib.useHostService,
        'ib.useHostService',
        'USE_IB_HOST_SERVICE',
        parseBoolean,
        d.ib.useHostService,
      ),
      hostServiceUrl: pick(
        ib.hostServiceUrl,
        'ib.hostServiceUrl',
        'IB_HOST_SERVICE_URL',
        parseHttpUrl,
        d.ib.hostServiceUrl,
      ),
      host: pick(ib.host, 'ib.host', 'IB_HOST', parseHost, d.ib.host),
      port: pick(ib.port, 'ib.port', 'IB_PORT', port, d.ib.port),
      clientId: pick(ib.clientId, 'ib.clientId', 'IB_CLIENT_ID', clientId, d.ib.clientId),
      timeoutMs: pick(
        ib.timeoutMs,
        'ib.timeoutMs',
        'IB_TIMEOUT',
        parseSecondsAsMs,
        d.ib.timeoutMs,
        parsePositiveMs,
      ),
      hostServiceTimeoutMs: pick(
        ib.hostServiceTimeoutMs,
        'ib.hostServiceTimeoutMs',
        'IB_HOST_SERVICE_TIMEOUT',
        parseSecondsAsMs,
        d.ib.hostServiceTimeoutMs,
        parsePositiveMs,
      ),
      pacing: pick(
        ib.pacing,
        'ib.pacing',
        'KTRDR_IB_PACING',
        (source) => parseChoice(source, IB_PACING_POLICIES),
        d.ib.pacing,
      ),
      minuteBarSessions: pick(
        ib.minuteBarSessions,
        'ib.minuteBarSessions',
        'KTRDR_IB_1M_SESSIONS',
        (source) => parseInteger(source, 1, 5),
        d.ib.minuteBarSessions,
      ),
    },
    training: {
      useHostService: pick(
        training.useHostService,
        'training.useHostService',
        'USE_TRAINING_HOST_SERVICE',
        parseBoolean,
        d.training.useHostService,
      ),
      hostServiceUrl: pick(
        training.hostServiceUrl,
        'training.hostServiceUrl',
        'TRAINING_HOST_SERVICE_URL',
        parseHttpUrl,
        d.training.hostServiceUrl,
      ),
    },
    apiUrl: pick(options.apiUrl, 'apiUrl', 'KTRDR_API_URL', parseHttpUrl, d.apiUrl),
    dataDir: resolve(pick(options.dataDir, 'dataDir', 'KTRDR_DATA_DIR', parsePath, d.dataDir)),
    modelsDir: resolve(pick(options.modelsDir, 'modelsDir', 'KTRDR_MODELS_DIR', parsePath, d.modelsDir)),
  };
}
