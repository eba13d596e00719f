import { availableParallelism } from 'node:os';
import { ValidationError } from '@ktrdr/core';

/** Environment variable with the default {@link TrainingThreads} of a training session. */
export const TRAINING_THREADS_ENV = 'KTRDR_TRAINING_THREADS';

/**
 * Threads one `cpu-fused` training session uses: 1, 2 (data parallel: each batch split between
 * the calling thread and a worker thread), or `auto` (2 when the machine has at least 2 cores,
 * else 1). A seed gives bit-identical weights run after run for a given thread count; 1 and 2
 * threads differ by float32 rounding only (see docs/guides/training.md).
 */
export type TrainingThreads = 1 | 2 | 'auto';

/**
 * The thread count a session trains with: `threads`, else `KTRDR_TRAINING_THREADS`, else 1
 * (the default keeps results identical to earlier releases and independent of the machine).
 *
 * @throws ValidationError for anything but 1, 2 or `auto` (`details.field`: `threads` or the
 *   environment variable's name).
 */
export function resolveTrainingThreads(threads?: TrainingThreads | number | string): 1 | 2 {
  const fromEnv = process.env[TRAINING_THREADS_ENV]?.trim();
  const value = threads ?? (fromEnv === undefined || fromEnv === '' ? 1 : fromEnv);
  if (value === 'auto') return availableParallelism() >= 2 ? 2 : 1;
  if (value === 1 || value === '1') return 1;
  if (value === 2 || value === '2') return 2;
  const field = threads === undefined ? TRAINING_THREADS_ENV : 'threads';
  throw new ValidationError(
    `Training threads must be 1, 2 or "auto"; got ${JSON.stringify(value)} (${field})`,
    {
      details: { field },
    },
  );
}
