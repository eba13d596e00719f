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
import type { TrainingApiContract } from '@ktrdr/training';
import type { ClientConnection } from './client-connection';
import { createDataServices } from './services/data-services';

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
export function embeddedConnection(
  config: KtrdrConfig,
  env: Readonly<Record<string, string | undefined>>,
  hostServiceToken?: string,
): ClientConnection {
  // One registry for loads and trainings, so `wait` and `cancel` see every operation of this client.
  const { data, operations } = createDataServices({ config, hostServiceToken, env });
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
    const service = createTrainingService(data, operations, { hostServiceToken, env });
    const transport = createInProcessTransport(createTrainingApiService(service));
    return {
      client: createServiceClient(trainingApiContract, transport),
      async close() {
        await transport.close();
        await service.close();
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
        // Cancels what still runs: an embedded operation cannot outlive its client.
        await data.close();
      })()),
  };
}
