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
import type { BacktestApiContract, BacktestService } from '@ktrdr/backtest';
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
  /** The backtest path (default: built over `data` on first use). */
  backtests?: BacktestService;
}

/** Options of {@link embeddedConnection}. @internal */
export interface EmbeddedConnectionOptions {
  config: KtrdrConfig;
  env: Readonly<Record<string, string | undefined>>;
  hostServiceToken?: string;
  services?: EmbeddedServices;
}

interface Loaded<C> {
  client: C;
  close(): Promise<void>;
}

type LoadedTraining = Loaded<ServiceClient<TrainingApiContract>>;

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
  let backtests: Promise<Loaded<ServiceClient<BacktestApiContract>>> | undefined;
  // `@ktrdr/backtest` (and the training stack it predicts with) loads on the first backtest call.
  const loadBacktests = async (): Promise<Loaded<ServiceClient<BacktestApiContract>>> => {
    const [{ createBacktestService }, { createBacktestApiService, backtestApiContract }] = await Promise.all([
      import('./services/backtest-services'),
      import('@ktrdr/backtest'),
    ]);
    const service = services?.backtests ?? createBacktestService(data, operations, { hostServiceToken, env });
    const transport = createInProcessTransport(createBacktestApiService(service));
    return {
      client: createServiceClient(backtestApiContract, transport),
      async close() {
        await transport.close();
        if (services?.backtests === undefined) await service.close();
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
      backtests: async () => (await (backtests ??= loadBacktests())).client,
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
        // Training and backtests read bars through the data service: stop them first.
        if (backtests !== undefined) await (await backtests.catch(() => undefined))?.close();
        if (training !== undefined) await (await training.catch(() => undefined))?.close();
        await Promise.all([dataTransport.close(), operationsTransport.close()]);
        // Cancels what still runs: an embedded operation cannot outlive the services it runs in.
        if (services === undefined) await data.close();
      })()),
  };
}
