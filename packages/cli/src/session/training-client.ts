import type { KtrdrConfig, OperationRegistry, ServiceClient, Transport } from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';
import type { TrainingApiContract } from '@ktrdr/training';

/** The training routes' client, and what closing it takes. */
export interface TrainingClient {
  client: ServiceClient<TrainingApiContract>;
  close(): Promise<void>;
}

/**
 * The training client of an embedded session: a `TrainingService` over the session's data service
 * and operation registry, behind the training API routes in-process. `@ktrdr/training` (TF.js,
 * ONNX Runtime) loads here, on the first `models` call, never for other commands.
 */
export async function embeddedTrainingClient(
  config: KtrdrConfig,
  data: DataService,
  operations: OperationRegistry,
): Promise<TrainingClient> {
  const [{ createInProcessTransport, createServiceClient }, training] = await Promise.all([
    import('@ktrdr/core'),
    import('@ktrdr/training'),
  ]);
  const { TrainingService, createTrainingApiService, trainingApiContract } = training;
  const service = new TrainingService({ config, data, operations });
  const transport = createInProcessTransport(createTrainingApiService(service));
  return {
    client: createServiceClient(trainingApiContract, transport),
    async close() {
      await transport.close();
      await service.close();
    },
  };
}

/** The training client of a remote session, on the session's one HTTP transport. */
export async function remoteTrainingClient(transport: Transport): Promise<TrainingClient> {
  const [{ createServiceClient }, { trainingApiContract }] = await Promise.all([
    import('@ktrdr/core'),
    import('@ktrdr/training'),
  ]);
  return { client: createServiceClient(trainingApiContract, transport), close: () => Promise.resolve() };
}
