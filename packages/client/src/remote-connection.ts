import {
  type KtrdrConfig,
  type ServiceClient,
  createHttpTransport,
  createServiceClient,
  operationsContract,
} from '@ktrdr/core';
import { dataApiContract } from '@ktrdr/data';
import type { BacktestApiContract } from '@ktrdr/backtest';
import type { TrainingApiContract } from '@ktrdr/training';
import type { ClientConnection } from './client-connection';
import { followOverEvents } from './follow-over-events';

/** Display name of the backend API in errors. */
export const API_SERVICE_NAME = 'ktrdr API';

/** Options of {@link remoteConnection}. @internal */
export interface RemoteConnectionOptions {
  /** The API's base URL (`.../api/v1`). */
  baseUrl: string;
  token: string | undefined;
  config: KtrdrConfig;
  /** The setting the URL came from (`KTRDR_API_URL`, `--url`), named in connection errors. */
  urlVariable?: string;
}

/**
 * The remote mode: every call over ONE keep-alive HTTP transport to a running API, and operations
 * followed over its server-sent events. Operations live in the API: any process can reach them.
 * @internal
 */
export function remoteConnection(options: RemoteConnectionOptions): ClientConnection {
  const { baseUrl, token } = options;
  const transport = createHttpTransport({
    baseUrl,
    token,
    serviceName: API_SERVICE_NAME,
    urlVariable: options.urlVariable,
  });
  const operations = createServiceClient(operationsContract, transport);
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  // Closing stops the streams still open, so no socket keeps the process alive.
  const streams = new AbortController();
  let training: Promise<ServiceClient<TrainingApiContract>> | undefined;
  let backtests: Promise<ServiceClient<BacktestApiContract>> | undefined;
  return {
    mode: 'remote',
    target: baseUrl,
    config: options.config,
    api: {
      data: createServiceClient(dataApiContract, transport),
      operations,
      // The contract's schemas live in `@ktrdr/training`: load it on first use only.
      training: () =>
        (training ??= import('@ktrdr/training').then(({ trainingApiContract }) =>
          createServiceClient(trainingApiContract, transport),
        )),
      backtests: () =>
        (backtests ??= import('@ktrdr/backtest').then(({ backtestApiContract }) =>
          createServiceClient(backtestApiContract, transport),
        )),
    },
    follow: (operationId, { signal, onProgress }) =>
      followOverEvents({ baseUrl, headers, serviceName: API_SERVICE_NAME, operations }, operationId, {
        signal: signal === undefined ? streams.signal : AbortSignal.any([signal, streams.signal]),
        onProgress,
      }),
    async close() {
      streams.abort();
      await transport.close();
    },
  };
}
