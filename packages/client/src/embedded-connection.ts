import {
  type KtrdrConfig,
  type OperationProgress,
  type ServiceClient,
  createInProcessTransport,
  createOperationsService,
  createServiceClient,
  operationsContract,
} from '@ktrdr/core';
import { createDataApiService, dataApiContract } from '@ktrdr/data';
import type { TrainingApiContract, TrainingService } from '@ktrdr/training';
import type { ClientConnection } from './client-connection';
import { type DataServices, createDataServices } from './services/data-services';

/**
 * Services an embedded client runs over instead of building its own: clients over the same
 * services share one operation registry, so each can follow and cancel what the others started.
 * The caller owns them: closing the client leaves them open.
 */
export interface EmbeddedServices extends DataServices {
  /** The training path (default: built over `data` on first use). */
  training?: TrainingService;
}

/** Options of {@link embeddedConnection}. @internal */
export interface EmbeddedConnectionOptions {
  config: KtrdrConfig;
  env: Readonly<Record<string, string | undefined>>;
  hostServiceToken?: string;
  services?: EmbeddedServices;
}

interface LoadedTraining {
  client: ServiceClient<TrainingApiContract>;
  close(): Promise<void>;
}

/**
 * The embedded mode: the services built in this process by `@ktrdr/client/services`, reached through
 * in-process transports that validate, serialise and fail like HTTP. Operations live in this
 * process's registry: they end with it.
 * @internal
 */
export function embeddedConnection(options: EmbeddedConnectionOptions): ClientConnection {
  const { env, hostServiceToken, services } = options;
  // One registry for loads and trainings, so `wait` and `cancel` see every operation of this client.
  const { data, operations } =
    services ?? createDataServices({ config: options.config, hostServiceToken, env });
  const config = services === undefined ? options.config : data.config;
  const dataTransport = createInProcessTransport(createDataApiService(data));
  const operationsTransport = createInProcessTransport(createOperationsService(operations));
  const operationsClient = createServiceClient(operationsContract, operationsTransport);
  let training: Promise<LoadedTraining> | undefined;
  // `@ktrdr/training` (TF.js, ONNX Runtime) loads on the first training call, never before.
  const loadTraining = async (): Promise<LoadedTraining> => {
    const [{ createTrainingService }, { createTrainingApiService, trainingApiContract }] = await Promise.all([
      import('./services/training-services'),
      import('@ktrdr/training'),
    ]);
    const service = services?.training ?? createTrainingService(data, operations, { hostServiceToken, env });
    const transport = createInProcessTransport(createTrainingApiService(service));
    return {
      client: createServiceClient(trainingApiContract, transport),
      async close() {
        await transport.close();
        if (services?.training === undefined) await service.close();
      },
    };
  };
  let closing: Promise<void> | undefined;
  return {
    mode: 'embedded',
    target: 'in-process',
    config,
    api: {
      data: createServiceClient(dataApiContract, dataTransport),
      operations: operationsClient,
      training: async () => (await (training ??= loadTraining())).client,
    },
    async follow(operationId, { signal, onProgress }) {
      const answer = await operationsClient.wait(
        { operation_id: operationId },
        {
          signal,
          onProgress:
            onProgress === undefined ? undefined : (progress) => onProgress(progress as OperationProgress),
        },
      );
      return answer.data;
    },
    close: () =>
      (closing ??= (async () => {
        // Training reads bars through the data service: stop it first.
        if (training !== undefined) await (await training.catch(() => undefined))?.close();
        await Promise.all([dataTransport.close(), operationsTransport.close()]);
        // Cancels what still runs: an embedded operation cannot outlive the services it runs in.
        if (services === undefined) await data.close();
      })()),
  };
}
