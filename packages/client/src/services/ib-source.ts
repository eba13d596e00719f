import { type KtrdrConfig, loadConfig } from '@ktrdr/core';
import {
  type HistoricalDataSource,
  type IbLogger,
  createIbDataSource,
  defaultPacingLedger,
} from '@ktrdr/data';

/**
 * The direct-IB data source the configuration describes (`IB_HOST`, `IB_PORT`, `IB_CLIENT_ID`,
 * `IB_TIMEOUT`): what the IB host service serves. It connects on first use, and paces together
 * with every other process of the same data folder on that gateway (the pacing ledger). `logger`
 * receives its connection events (connect, drop, reconnect, pacing waits); default: none.
 */
export function createIbSourceFromConfig(
  config: KtrdrConfig = loadConfig(),
  options: { logger?: IbLogger } = {},
): HistoricalDataSource {
  return createIbDataSource({
    logger: options.logger,
    host: config.ib.host,
    port: config.ib.port,
    clientId: config.ib.clientId,
    requestTimeoutMs: config.ib.timeoutMs,
    pacing: { ledger: defaultPacingLedger(config), profile: config.ib.pacing },
  });
}
