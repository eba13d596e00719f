/**
 * `ktrdr-training-host`: the training host service on port 8002, training in worker threads of this
 * process on bars from `KTRDR_DATA_DIR`, saving models to `KTRDR_MODELS_DIR`. `--concurrency N`
 * (or `KTRDR_TRAINING_CONCURRENCY`) sets how many sessions train at once (default cores - 1); the
 * others wait, queued in FIFO order.
 */
import { TRAINING_CONCURRENCY_ENV, concurrencyFromEnv } from '@ktrdr/training';
import { BinUsageError, runServerBin } from './run-server-bin';

void runServerBin(
  'ktrdr-training-host',
  'training-host',
  ({ host, port, args }) => {
    const flag = args['concurrency'];
    if (typeof flag === 'string') {
      if (!/^\d+$/.test(flag) || Number(flag) < 1)
        throw new BinUsageError(`--concurrency must be a positive integer, got '${flag}'`);
      // The host's worker pool reads the variable; the flag wins over it.
      process.env[TRAINING_CONCURRENCY_ENV] = flag;
    }
    // Refuse a bad KTRDR_TRAINING_CONCURRENCY before anything starts.
    concurrencyFromEnv();
    return { kind: 'training-host', host, port };
  },
  process.argv.slice(2),
  {
    concurrency: {
      type: 'string',
      valueHint: 'N',
      description: `Sessions trained at once (default ${TRAINING_CONCURRENCY_ENV}, else cores - 1); the others wait`,
    },
  },
);
