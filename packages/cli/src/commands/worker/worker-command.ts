import type { ArgsDef, CommandDef } from 'citty';
import { leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

/** `ktrdr worker`: run queued operations (BullMQ jobs on Redis) until Ctrl+C. */
export function workerCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr worker',
    description: 'Run queued loads, trainings and backtests from Redis (KTRDR_REDIS_URL) until Ctrl+C',
    args: {
      redis: {
        type: 'string',
        description: 'Redis URL (default KTRDR_REDIS_URL), e.g. redis://127.0.0.1:6379',
        valueHint: 'URL',
      },
      queue: {
        type: 'string',
        description: 'Queues to pull from, comma-separated (default training,data-load,backtest)',
        valueHint: 'NAMES',
      },
      concurrency: { type: 'string', description: 'Jobs run at once per queue (default 1)', valueHint: 'N' },
      api: {
        type: 'string',
        description:
          "Without the API's folders: hand trained models and backtests back to this API (KTRDR_API_TOKEN)",
        valueHint: 'URL',
      },
      'fetch-bars': {
        type: 'boolean',
        description:
          "Without the API's data folder: copy each training's and backtest's bars from the API (--api) first",
      },
      'checkpoint-every': {
        type: 'string',
        description: 'Epoch checkpoints of a training job every N epochs (default 1)',
        valueHint: 'N',
      },
      'checkpoint-max-mb': {
        type: 'string',
        description:
          'Largest training checkpoint passed through Redis to the worker that resumes a job (default 8)',
        valueHint: 'MB',
      },
      'lock-duration': {
        type: 'string',
        description: "How long before a killed worker's job goes to another worker, ms (default 30000)",
        valueHint: 'MS',
      },
    },
    run: async (args) => (await import('./worker-action')).runWorker(context, args),
  });
}
