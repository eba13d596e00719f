/**
 * `ktrdr-api`: the backend API on port 8000 under `/api/v1`. Data goes to the IB host service when
 * `USE_IB_HOST_SERVICE=true`, otherwise straight to IB from this process.
 */
import { runServerBin } from './run-server-bin';

void runServerBin('ktrdr-api', 'api', ({ host, port }) => ({ kind: 'api', host, port }));
