import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ktrdr/core';
import { type IbSimulator, startIbSimulator } from '@ktrdr/ib-sim';
import { type RunningServer, startServer } from '@ktrdr/server';

/** The API as `ktrdr serve api` runs it, over the IB simulator, with a token. */
export interface SimApi {
  api: RunningServer;
  simulator: IbSimulator;
  token: string;
  /** `http://127.0.0.1:<port>/dashboard/` */
  dashboardUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the IB simulator and the API over it (data and models in a temp folder, a bearer token
 * required), the way the dashboard meets them in use: the API serves the dashboard's files itself.
 */
export async function startSimApi(options: { latencyMs?: number } = {}): Promise<SimApi> {
  const dir = await mkdtemp(join(tmpdir(), 'ktrdr-dashboard-'));
  const simulator = await startIbSimulator({ port: 0, seed: 7, latencyMs: options.latencyMs ?? 0 });
  const token = 'dashboard-test-token';
  const config = loadConfig(
    {
      ib: { useHostService: false, host: simulator.host, port: simulator.port },
      training: { useHostService: false },
      dataDir: join(dir, 'data'),
      modelsDir: join(dir, 'models'),
    },
    {},
  );
  const api = await startServer({ kind: 'api', port: 0, config, token, env: {}, shutdownTimeoutMs: 3000 });
  return {
    api,
    simulator,
    token,
    dashboardUrl: `${api.origin}/dashboard/`,
    close: async () => {
      await api.close();
      await simulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
