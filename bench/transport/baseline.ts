/**
 * `--baseline <root>`: the same calls through another checkout's `@ktrdr/core` (its sources, loaded
 * by tsx), timed in the same rounds as this one's, so a change to the transport is compared side by
 * side rather than across runs of a loaded machine. The other checkout needs its own node_modules.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchContract, benchImplementation, benchInput } from './service';

/** The calls the baseline makes: the bare HTTP transport, and the adapter path (stats wrapper, token). */
export interface BaselineModes {
  http: () => Promise<unknown>;
  adapter: () => Promise<unknown>;
  inProcessAdapter: () => Promise<unknown>;
  close(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- another checkout's API, untyped here */
export async function loadBaseline(root: string, url: string): Promise<BaselineModes> {
  const core: any = await import(pathToFileURL(join(root, 'packages', 'core', 'src', 'index.ts')).href);
  const bare = core.createHttpTransport({ baseUrl: url, serviceName: 'bench service' });
  const client = core.createServiceClient(benchContract, bare);
  // Before the selector, an adapter took `{ transport }` and wrapped its calls in its statistics.
  const adapterClass = class extends core.AsyncHostService {
    client: any;
    constructor(transport: unknown) {
      super('bench service', { transport });
      this.client = this.clientFor(benchContract);
    }
    async healthCheck() {
      return { healthy: true, service: 'bench service', mode: 'http' };
    }
  };
  const adapter = new adapterClass(
    core.createHttpTransport({ baseUrl: url, serviceName: 'bench service', token: 'bench-token' }),
  );
  const local = new adapterClass(core.createInProcessTransport(benchImplementation));
  return {
    http: () => client.echo(benchInput),
    adapter: () => adapter.client.echo(benchInput),
    inProcessAdapter: () => local.client.echo(benchInput),
    async close() {
      await bare.close();
      await adapter.close();
    },
  };
}
