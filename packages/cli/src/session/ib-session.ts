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
 * Opens the adapter the `ib` commands talk through. It is the data service's own adapter, assembled
 * by `@ktrdr/client` as for every client, so `ktrdr ib status` checks exactly the path `ktrdr data load` uses.
 */
export async function openIbSession(context: CliContext): Promise<IbSession> {
  const config = loadCliConfig(context);
  const { createDataServices } = await import('@ktrdr/client');
  const { data } = createDataServices({ config, env: context.io.env });
  const close = () => data.close();
  return { config, adapter: data.adapter, close, [Symbol.asyncDispose]: close };
}
