/**
 * `ktrdr-training-host`: the training host service on port 8002, training in worker threads of this
 * process on bars from `KTRDR_DATA_DIR`, saving models to `KTRDR_MODELS_DIR`.
 */
import { runServerBin } from './run-server-bin';

void runServerBin('ktrdr-training-host', 'training-host', ({ host, port }) => ({
  kind: 'training-host',
  host,
  port,
}));
