/**
 * The services the servers mount by default. They are assembled in `@ktrdr/client/services`, the one
 * place the SDK's services are built; the server re-exports them so its public surface is unchanged
 * and its routers stay routing only.
 */
export {
  createApiServices,
  createBacktestHostServices,
  createIbSourceFromConfig,
  createTrainingHostServices,
  type ApiServices,
  type ApiServicesOptions,
  type TrainingHostServices,
} from '@ktrdr/client/services';
