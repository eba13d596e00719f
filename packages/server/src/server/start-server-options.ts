import type { Logger } from 'pino';
import type { KtrdrConfig, OperationRegistry } from '@ktrdr/core';
import type { DataService, HistoricalDataSource } from '@ktrdr/data';
import type { ApiQueue } from '@ktrdr/queue';
import type { TrainingService, TrainingSessions } from '@ktrdr/training';

/** Options every server kind takes. */
export interface CommonServerOptions {
  /** Interface to bind (default `127.0.0.1`). Any non-loopback host requires a token. */
  host?: string;
  /** Port (default 8000 api, 8001 ib-host, 8002 training-host); 0 picks a free one. */
  port?: number;
  /** Bearer token every request must carry (default `KTRDR_API_TOKEN`; required off loopback). */
  token?: string;
  /** Environment to read `KTRDR_API_TOKEN` from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Configuration for default services (default `loadConfig()`). */
  config?: KtrdrConfig;
  /** Largest JSON request body in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /**
   * Bound of a graceful shutdown, ms (default 10 s): running work is cancelled and connections
   * drain within it; whatever is left is then closed by force.
   */
  shutdownTimeoutMs?: number;
  /** Path the routes are mounted at (default `/api/v1` for the API, `/` for host services). */
  basePath?: string;
  /**
   * A pino logger: it gets the access log (method, path, status, duration, request id; every
   * answer then carries `x-request-id`) and the IB connection events of the services the server
   * builds itself. `createServerLogger()` builds the one the bins use. Default: no logging.
   */
  logger?: Logger;
}

/** Options of `startServer({ kind: 'api' })`. */
export interface ApiServerOptions extends CommonServerOptions {
  kind: 'api';
  /**
   * The data path. Omitted, data and training services are built from the configuration
   * (`createApiServices`). Whatever the server serves, it closes on shutdown.
   */
  data?: DataService;
  /** The training path (only used with `data`; otherwise built with it). */
  training?: TrainingService;
  /** The registry shared by data loads and trainings (default: the data service's). */
  operations?: OperationRegistry;
  /** Token for the host services when work goes over HTTP (default `KTRDR_API_TOKEN`). */
  hostServiceToken?: string;
  /** Folder `POST /trainings/start` looks `strategy_name` up in (default: the bundled strategies). */
  strategiesDir?: string;
  /** Longest wait for one component's health, ms (default 5 s). */
  healthTimeoutMs?: number;
  /** Keep-alive interval of progress streams, ms (default 15 s). */
  eventsHeartbeatMs?: number;
  /**
   * Operations as BullMQ jobs on Redis (`openApiQueue` of `@ktrdr/queue`; `ktrdr-api --redis`):
   * closed when the server closes. Omitted, operations run in this process.
   */
  queue?: ApiQueue;
}

/** Options of `startServer({ kind: 'ib-host' })`. */
export interface IbHostServerOptions extends CommonServerOptions {
  kind: 'ib-host';
  /** Where bars come from (default: direct IB per configuration). Closed when the server closes. */
  source?: HistoricalDataSource;
}

/** Options of `startServer({ kind: 'training-host' })`. */
export interface TrainingHostServerOptions extends CommonServerOptions {
  kind: 'training-host';
  /** The trainer (default: worker-thread sessions over the store). Closed when the server closes. */
  sessions?: TrainingSessions;
  /** Where the default trainer reads bars (default: the store of the configuration). */
  data?: DataService;
}

/** Options of `startServer`, by server kind. */
export type StartServerOptions = ApiServerOptions | IbHostServerOptions | TrainingHostServerOptions;
