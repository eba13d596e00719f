import { type IbSimulator, type IbSimulatorOptions, startIbSimulator } from '@ktrdr/ib-sim';

/** The IB Gateway simulator on a free loopback port, and the environment that points ktrdr at it. */
export async function startSimulator(
  options: IbSimulatorOptions = {},
): Promise<{ simulator: IbSimulator; env: Record<string, string> }> {
  const simulator = await startIbSimulator({ port: 0, ...options });
  return { simulator, env: { IB_HOST: simulator.host, IB_PORT: String(simulator.port) } };
}
