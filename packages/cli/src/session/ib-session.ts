import type { KtrdrConfig } from '@ktrdr/core';
import type { AsyncDataAdapter } from '@ktrdr/data';
import type { CliContext } from '../cli/context';
import { loadCliConfig } from './load-cli-config';

/** The IB side of the data path, as the configuration routes it. */
export interface IbSession extends AsyncDisposable {
  readonly config: KtrdrConfig;
  /** Direct IB over TCP, or the IB host service when `USE_IB_HOST_SERVICE` is true. */
  readonly adapter: AsyncDataAdapter;
  close(): Promise<void>;
}

/**
 * Opens the adapter the `ib` commands talk through. It is the data service's own adapter, built from
 * the configuration by the SDK, so `ktrdr ib status` checks exactly the path `ktrdr data load` uses.
 */
export async function openIbSession(context: CliContext): Promise<IbSession> {
  const config = loadCliConfig(context);
  const { DataService } = await import('@ktrdr/data');
  const service = new DataService({ config });
  const close = () => service.close();
  return { config, adapter: service.adapter, close, [Symbol.asyncDispose]: close };
}
