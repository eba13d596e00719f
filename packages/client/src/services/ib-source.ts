import { type KtrdrConfig, loadConfig } from '@ktrdr/core';
import { type HistoricalDataSource, createIbDataSource, defaultPacingLedger } from '@ktrdr/data';

/**
 * The direct-IB data source the configuration describes (`IB_HOST`, `IB_PORT`, `IB_CLIENT_ID`,
 * `IB_TIMEOUT`): what the IB host service serves. It connects on first use, and paces together
 * with every other process of the same data folder on that gateway (the pacing ledger).
 */
export function createIbSourceFromConfig(config: KtrdrConfig = loadConfig()): HistoricalDataSource {
  return createIbDataSource({
    host: config.ib.host,
    port: config.ib.port,
    clientId: config.ib.clientId,
    requestTimeoutMs: config.ib.timeoutMs,
    pacing: { ledger: defaultPacingLedger(config) },
  });
}
