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
  const help = argv.includes('--help') || argv.includes('-h');
  void runServerBin(
    'ktrdr-training-host',
    'training-host',
    ({ host, port }) => {
      // Refuse a bad KTRDR_TRAINING_CONCURRENCY before anything starts.
      concurrencyFromEnv();
      return { kind: 'training-host', host, port };
    },
    argv,
  ).then(() => {
    // The shared usage lists the common options; this bin has one more.
    if (help && process.exitCode !== 1) {
      process.stdout.write(
        'Training host options:\n  --concurrency N   sessions trained at once (default KTRDR_TRAINING_CONCURRENCY, else cores - 1)\n',
      );
    }
  });
}

main();
