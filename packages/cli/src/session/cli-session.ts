import type { KtrdrConfig, OperationsContract, ServiceClient } from '@ktrdr/core';
import type { KtrdrClient } from '@ktrdr/client';
import type { DataApiContract } from '@ktrdr/data';
import type { TrainingApiContract } from '@ktrdr/training';
import type { CliContext } from '../cli/context';
import { loadCliConfig } from './load-cli-config';

/**
 * The SDK as one command sees it: a `@ktrdr/client` client, embedded (services in this process) or
 * remote (`--url`), and its routes as typed calls. Commands use them the same way in both modes.
 */
export interface CliSession extends AsyncDisposable {
  readonly mode: 'embedded' | 'remote';
  /** `in-process`, or the API's base URL. */
  readonly target: string;
  readonly config: KtrdrConfig;
  /** The client itself: handles on operations (`client.operations.handle(id)`). */
  readonly client: KtrdrClient;
  readonly data: ServiceClient<DataApiContract>;
  readonly operations: ServiceClient<OperationsContract>;
  /** The training routes' client; loads the training stack on first use only. */
  training(): Promise<ServiceClient<TrainingApiContract>>;
  /** Closes transports, cancels this process's running operations, releases IB connections. */
  close(): Promise<void>;
}

function sessionOver(client: KtrdrClient): CliSession {
  const close = () => client.close();
  return {
    mode: client.mode,
    target: client.target,
    config: client.config,
    client,
    data: client.api.data,
    operations: client.api.operations,
    training: () => client.api.training(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * The embedded session over `config`. `openSession` uses the run's configuration; the demo passes
 * its own. `@ktrdr/client` is imported here, not at start-up: the `ktrdr` bin loads no SDK package
 * until a command needs one, so `--help` and `data show` stay quick.
 */
export async function openEmbeddedSession(
  config: KtrdrConfig,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CliSession> {
  const { createKtrdrClient } = await import('@ktrdr/client');
  // `env` gives the host services' token (`KTRDR_API_TOKEN`) when the configuration routes work to them.
  return sessionOver(await createKtrdrClient({ mode: 'embedded', config, env }));
}

async function openRemoteSession(context: CliContext, url: string): Promise<CliSession> {
  const { apiBaseUrl, createKtrdrClient } = await import('@ktrdr/client');
  const config = loadCliConfig(context, { apiUrl: apiBaseUrl(url) });
  if (context.dataDir !== undefined || context.modelsDir !== undefined) {
    context.note('note: --data-dir and --models-dir apply in-process only; the API uses its own folders.');
  }
  const client = await createKtrdrClient({
    mode: 'remote',
    apiUrl: config.apiUrl,
    config,
    env: context.io.env,
    urlVariable: context.apiUrlSource,
  });
  return sessionOver(client);
}

/** Opens the session of one command: remote with `--url` or `KTRDR_API_URL` set, embedded otherwise. */
export function openSession(context: CliContext): Promise<CliSession> {
  const url = context.apiUrl;
  return url === undefined
    ? openEmbeddedSession(loadCliConfig(context), context.io.env)
    : openRemoteSession(context, url);
}
