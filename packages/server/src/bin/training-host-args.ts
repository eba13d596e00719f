import { ValidationError } from '@ktrdr/core';
import { TRAINING_CONCURRENCY_ENV } from '@ktrdr/training';

/**
 * Takes `--concurrency N` (or `--concurrency=N`) out of a training host's arguments: the rest go to
 * the shared server-bin parser. The value becomes `KTRDR_TRAINING_CONCURRENCY` in `env`, which the
 * host's worker pool reads (the flag wins over the variable).
 * @throws ValidationError when the value is missing or not a positive integer.
 * @internal
 */
export function takeConcurrencyOption(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let value: string | undefined;
    if (arg === '--concurrency') value = argv[++i] ?? '';
    else if (arg.startsWith('--concurrency=')) value = arg.slice('--concurrency='.length);
    else {
      rest.push(arg);
      continue;
    }
    if (!/^\d+$/.test(value) || Number(value) < 1) {
      throw new ValidationError(`--concurrency must be a positive integer, got '${value}'`, {
        details: { field: 'concurrency' },
      });
    }
    env[TRAINING_CONCURRENCY_ENV] = value;
  }
  return rest;
}
