import type { CallOptions } from '@ktrdr/core';
import { type KtrdrConfig, loadConfig } from '@ktrdr/core/config';
import type { BacktestApiContract } from '@ktrdr/backtest';
import type { TrainingApiContract } from '@ktrdr/training';
import { apiBaseUrl } from './api-url';
import type { ClientConnection } from './client-connection';
import type { BacktestsClient, KtrdrClient, TrainingClient } from './client-types';
import { type EmbeddedServices, embeddedConnection } from './embedded-connection';
import { KtrdrOperationHandle } from './operation-handle';
import { remoteConnection } from './remote-connection';
import { tokenFrom } from './services/host-service-token';

/** The variable naming the API a client in remote mode talks to. */
export const API_URL_VARIABLE = 'KTRDR_API_URL';

/** Options of {@link createKtrdrClient}. */
export interface KtrdrClientOptions {
  /**
   * `remote` talks to a running API, `embedded` builds the services in this process. Default:
   * remote when `apiUrl` or `KTRDR_API_URL` is set, embedded otherwise.
   */
  mode?: 'embedded' | 'remote';
  /** The API's URL (remote). A bare server URL gets the API's `/api/v1` prefix. Default `KTRDR_API_URL`. */
  apiUrl?: string;
  /**
   * Bearer token (default `KTRDR_API_TOKEN`): sent to the API in remote mode, to the IB and training
   * host services in embedded mode.
   */
  token?: string;
  /** Resolved configuration (default `loadConfig()` over `env`). */
  config?: KtrdrConfig;
  /** Environment the defaults come from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Embedded only: run over these services instead of building them (e.g. the ones a server
   * mounts, or another client's). They stay open when the client closes.
   */
  services?: EmbeddedServices;
  /** The setting the API URL came from, named in connection errors (default `KTRDR_API_URL`). */
  urlVariable?: string;
}

/** Every training route but `start`: a compile error here when the contract gains one. */
const TRAINING_ROUTES: Record<Exclude<keyof TrainingApiContract['routes'], 'start'>, true> = {
  models: true,
  model: true,
  importModel: true,
  predict: true,
  indicators: true,
};

/** Every backtest route but `start`. */
const BACKTEST_ROUTES: Record<Exclude<keyof BacktestApiContract['routes'], 'start'>, true> = {
  list: true,
  show: true,
};

type RouteCall = (input: unknown, options?: CallOptions) => Promise<unknown>;

function clientOver(connection: ClientConnection): KtrdrClient {
  const handle = <S>(id: string) => new KtrdrOperationHandle<S>(id, connection);
  const { api } = connection;
  // Each training route loads the training stack on its first call, not when the client is built.
  const lazyTrainingRoute =
    (name: string): RouteCall =>
    async (input, options) =>
      ((await api.training()) as unknown as Record<string, RouteCall>)[name]?.(input, options);
  const training = Object.fromEntries(
    Object.keys(TRAINING_ROUTES).map((name) => [name, lazyTrainingRoute(name)]),
  ) as unknown as TrainingClient;
  training.start = async (input, options) =>
    handle((await (await api.training()).start(input, options)).operation_id);
  const lazyBacktestRoute =
    (name: string): RouteCall =>
    async (input, options) =>
      ((await api.backtests()) as unknown as Record<string, RouteCall>)[name]?.(input, options);
  const backtests = Object.fromEntries(
    Object.keys(BACKTEST_ROUTES).map((name) => [name, lazyBacktestRoute(name)]),
  ) as unknown as BacktestsClient;
  backtests.start = async (input, options) =>
    handle((await (await api.backtests()).start(input, options)).operation_id);
  const close = () => connection.close();
  return {
    mode: connection.mode,
    target: connection.target,
    config: connection.config,
    api,
    data: {
      ...api.data,
      load: async (input, options) => handle((await api.data.load(input, options)).operation_id),
    },
    training,
    backtests,
    operations: { ...api.operations, handle },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * The one way to reach the ktrdr SDK: embedded (the services built in this process from the
 * configuration, no server) or remote (a running API at `apiUrl` / `KTRDR_API_URL`, with
 * `KTRDR_API_TOKEN`). Both return the same surface: `data`, `training`, `backtests`, `operations` (with
 * `handle(id)` to re-attach to any operation), and `close()`.
 *
 * ```ts
 * await using client = await createKtrdrClient();
 * const load = await client.data.load({ symbol: 'AAPL', timeframe: '1h', mode: 'tail' });
 * for await (const progress of load.progress()) console.log(progress.percentage);
 * console.log((await load.result()).bars);
 * ```
 */
export async function createKtrdrClient(options: KtrdrClientOptions = {}): Promise<KtrdrClient> {
  const env = options.env ?? process.env;
  const url = options.apiUrl ?? env[API_URL_VARIABLE];
  const mode = options.mode ?? (url === undefined || url.trim() === '' ? 'embedded' : 'remote');
  const token = tokenFrom(options.token, env);
  if (mode === 'embedded') {
    const config = options.config ?? options.services?.data.config ?? loadConfig({}, env);
    return clientOver(
      embeddedConnection({ config, env, hostServiceToken: token, services: options.services }),
    );
  }
  // The configuration check names the setting the URL came from, in the form it accepts.
  const config = options.config ?? loadConfig(url === undefined ? {} : { apiUrl: apiBaseUrl(url) }, env);
  return clientOver(
    remoteConnection({
      baseUrl: url === undefined ? config.apiUrl : apiBaseUrl(url),
      token,
      config,
      urlVariable: options.urlVariable ?? (options.apiUrl === undefined ? API_URL_VARIABLE : undefined),
    }),
  );
}
