import { type KtrdrConfig, OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, DataService } from '@ktrdr/data';
import { tokenFrom } from './host-service-token';

/** Options of {@link createDataServices}. */
export interface DataServicesOptions {
  /** Resolved configuration (default `loadConfig()`: environment, then defaults). */
  config?: KtrdrConfig;
  /**
   * Bearer token sent to the IB host service when `USE_IB_HOST_SERVICE` routes loads over HTTP
   * (default `KTRDR_API_TOKEN`: one token for a deployment).
   */
  hostServiceToken?: string;
  /** Registry to share (default: a new one). */
  operations?: OperationRegistry;
  /** Environment the token default comes from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The data path and the operation registry it starts loads in. */
export interface DataServices {
  data: DataService;
  operations: OperationRegistry;
}

/**
 * Builds the {@link DataService} the configuration describes: over the adapter `USE_IB_HOST_SERVICE`
 * asks for (http to `IB_HOST_SERVICE_URL` with the deployment's token, or direct IB in-process),
 * with its CSV store in `KTRDR_DATA_DIR`. The one place the data path is assembled: the embedded
 * client, the API and the `ib` commands all stand on it.
 */
export function createDataServices(options: DataServicesOptions = {}): DataServices {
  const config = options.config ?? loadConfig();
  const operations = options.operations ?? new OperationRegistry();
  const token = tokenFrom(options.hostServiceToken, options.env);
  // The SDK's default adapter sends no token: build the http one here when the host needs one.
  const adapter =
    config.ib.useHostService && token !== undefined
      ? new AsyncDataAdapter({ kind: 'http', url: config.ib.hostServiceUrl, token })
      : undefined;
  return { data: new DataService({ config, operations, adapter }), operations };
}
