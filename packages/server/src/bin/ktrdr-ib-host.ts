/**
 * `ktrdr-ib-host`: the IB host service on port 8001, owning the gateway connection described by
 * `IB_HOST`, `IB_PORT`, `IB_CLIENT_ID` and `IB_TIMEOUT`.
 */
import { runServerBin } from './run-server-bin';

void runServerBin('ktrdr-ib-host', 'ib-host', ({ host, port }) => ({ kind: 'ib-host', host, port }));
