import type { KtrdrConfig, OperationsContract, ServiceClient } from '@ktrdr/core';
import type { DataApiContract } from '@ktrdr/data';
import type { TrainingApiContract } from '@ktrdr/training';
import type { CliContext } from '../cli/context';
import { apiBaseUrl } from './api-url';
import { loadCliConfig } from './load-cli-config';
import { type TrainingClient, embeddedTrainingClient, remoteTrainingClient } from './training-client';

/** Display name of the backend API in errors. */
export const API_SERVICE_NAME = 'ktrdr API';

/**
 * The SDK as one command sees it: typed clients of the backend API's contracts, either over
 * in-process transports to services built here (embedded) or over ONE keep-alive HTTP client to a
 * running API (`--url`). Commands use the clients the same way in both modes.
 */
export interface CliSession extends AsyncDisposable {
  readonly mode: 'embedded' | 'remote';
  /** `in-process`, or the API's base URL. */
  readonly target: string;
  readonly config: KtrdrConfig;
  readonly data: ServiceClient<DataApiContract>;
  readonly operations: ServiceClient<OperationsContract>;
  /** The training routes' client; loads the training stack on first use only. */
  training(): Promise<ServiceClient<TrainingApiContract>>;
  /** Closes transports, cancels this process's running operations, releases IB connections. */
  close(): Promise<void>;
}

/**
 * The SDK packages a session is built from, imported when a command first opens one: the `ktrdr`
 * bin is one file that loads no SDK package at start-up, so `--help` and `data show` stay quick.
 */
async function loadSdk() {
  const [core, data] = await Promise.all([import('@ktrdr/core'), import('@ktrdr/data')]);
  return { core, data };
}

async function remoteSession(context: CliContext, url: string): Promise<CliSession> {
  const config = loadCliConfig(context, { apiUrl: apiBaseUrl(url) });
  if (context.dataDir !== undefined || context.modelsDir !== undefined) {
    context.note('note: --data-dir and --models-dir apply in-process only; the API uses its own folders.');
  }
  const { core, data } = await loadSdk();
  const transport = core.createHttpTransport({
    baseUrl: config.apiUrl,
    serviceName: API_SERVICE_NAME,
    urlVariable: context.apiUrlSource,
  });
  const close = () => transport.close();
  let training: Promise<TrainingClient> | undefined;
  return {
    mode: 'remote',
    target: config.apiUrl,
    config,
    data: core.createServiceClient(data.dataApiContract, transport),
    operations: core.createServiceClient(core.operationsContract, transport),
    training: async () => (await (training ??= remoteTrainingClient(transport))).client,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * The embedded session over `config`: services built in this process, reached through in-process
 * transports. `openSession` uses the run's configuration; the demo passes its own.
 */
export async function openEmbeddedSession(config: KtrdrConfig): Promise<CliSession> {
  const { core, data } = await loadSdk();
  // One registry for loads (and trainings), so `wait` and `cancel` see every operation of this run.
  const registry = new core.OperationRegistry();
  const dataService = new data.DataService({ config, operations: registry });
  const dataTransport = core.createInProcessTransport(data.createDataApiService(dataService));
  const operationsTransport = core.createInProcessTransport(core.createOperationsService(registry));
  let training: Promise<TrainingClient> | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Training reads bars through the data service: stop it first.
      if (training !== undefined) await (await training.catch(() => undefined))?.close();
      await Promise.all([dataTransport.close(), operationsTransport.close()]);
      await dataService.close();
    })());
  return {
    mode: 'embedded',
    target: 'in-process',
    config,
    data: core.createServiceClient(data.dataApiContract, dataTransport),
    operations: core.createServiceClient(core.operationsContract, operationsTransport),
    training: async () => (await (training ??= embeddedTrainingClient(config, dataService, registry))).client,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Opens the session of one command: remote with `--url` or `KTRDR_API_URL` set, embedded otherwise. */
export function openSession(context: CliContext): Promise<CliSession> {
  const url = context.apiUrl;
  return url === undefined ? openEmbeddedSession(loadCliConfig(context)) : remoteSession(context, url);
}
