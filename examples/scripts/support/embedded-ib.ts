/**
 * Where the example scripts get IB data: a real IB Gateway/TWS when `IB_PORT` is set, otherwise the
 * ktrdr IB simulator started in this process (its bars are synthetic and stored as SIMULATED).
 */
import { type KtrdrConfig, loadConfig } from '@ktrdr/core';
import { startIbSimulator } from '@ktrdr/ib-sim';

export interface ExampleIb {
  config: KtrdrConfig;
  /** True when the data comes from the simulator. */
  simulated: boolean;
  close(): Promise<void>;
}

export async function connectExampleIb(): Promise<ExampleIb> {
  if (process.env['IB_PORT'] !== undefined) {
    return { config: loadConfig(), simulated: false, close: async () => undefined };
  }
  const simulator = await startIbSimulator({ port: 0 });
  return {
    config: loadConfig({ ib: { host: simulator.host, port: simulator.port } }),
    simulated: true,
    close: () => simulator.close(),
  };
}
