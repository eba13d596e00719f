import { type KtrdrConfig, OperationRegistry, loadConfig } from '@ktrdr/core';
import { DataService, type IbLogger, createDataAdapter } from '@ktrdr/data';
import { tokenFrom } from './host-service-token';
import { createIbSourceFromConfig } from './ib-source';

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
  /** Receives the direct-IB connection events (console-like; default: none). */
  logger?: IbLogger;
}

/** The data path and the operation registry it starts loads in. */
export interface DataServices {
  data: DataService;
  operations: OperationRegistry;
}

/**
 * Builds the {@link DataService} the configuration describes: over the adapter `USE_IB_HOST_SERVICE`
 * asks for (http to `IB_HOST_SERVICE_URL` with the deployment's token, or direct IB in-process over
 * {@link createIbSourceFromConfig}), with its CSV store in `KTRDR_DATA_DIR`. The one place the data
 * path is assembled: the embedded client, the API and the `ib` commands all stand on it.
 */
export function createDataServices(options: DataServicesOptions = {}): DataServices {
  const config = options.config ?? loadConfig();
  const operations = options.operations ?? new OperationRegistry();
  const token = tokenFrom(options.hostServiceToken, options.env);
  // Built here rather than by DataService's own default, so that the direct-IB source comes from
  // the one place that maps the configuration to it (the IB host service serves the same source),
  // and the host service gets the deployment's token.
  const createIbSource = (ibConfig: KtrdrConfig) =>
    createIbSourceFromConfig(ibConfig, { logger: options.logger });
  const adapter = createDataAdapter({ config, token, createIbSource });
  return { data: new DataService({ config, operations, adapter }), operations };
}
