/**
 * `ktrdr-training-host`: the training host service on port 8002, training in worker threads of this
 * process on bars from `KTRDR_DATA_DIR`, saving models to `KTRDR_MODELS_DIR`. `--concurrency N`
 * (or `KTRDR_TRAINING_CONCURRENCY`) sets how many sessions train at once (default cores - 1); the
 * others wait, queued in FIFO order.
 */
import { concurrencyFromEnv } from '@ktrdr/training';
import { runServerBin } from './run-server-bin';
import { takeConcurrencyOption } from './training-host-args';

function main(): void {
  let argv: string[];
  try {
    argv = takeConcurrencyOption(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`ktrdr-training-host: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  void runServerBin(
    'ktrdr-training-host',
    'training-host',
    ({ host, port }) => {
      // Refuse a bad KTRDR_TRAINING_CONCURRENCY before anything starts.
      concurrencyFromEnv();
      return { kind: 'training-host', host, port };
    },
    argv,
  );
}

main();
