/**
 * The public surface of `@ktrdr/client/services`: the one place the SDK's services are assembled
 * from the configuration. The servers mount these; the embedded client stands on them. It loads the
 * training stack (TF.js, ONNX Runtime) at once: programs that only need a client import
 * `@ktrdr/client`, which loads training on first use.
 */
export { API_TOKEN_VARIABLE } from './host-service-token';
export { createIbSourceFromConfig } from './ib-source';
export { createDataServices, type DataServices, type DataServicesOptions } from './data-services';
export {
  createTrainingHostServices,
  createTrainingService,
  type TrainingHostServices,
} from './training-services';
export { createBacktestHostServices, createBacktestService } from './backtest-services';
export { createApiServices, type ApiServices, type ApiServicesOptions } from './api-services';
export { openApiQueue, type ApiQueueOptions } from './api-queue';
export { startKtrdrWorker, type KtrdrWorker, type KtrdrWorkerOptions } from './queue-worker';
