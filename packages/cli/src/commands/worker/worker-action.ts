import { REDIS_URL_VARIABLE, resolveRedisUrl } from '@ktrdr/core/config';
import { ValidationError } from '@ktrdr/core/errors';
import type { CliContext } from '../../cli/context';
import { parseOptionalPositiveInteger } from '../../cli/option-values';
import { loadCliConfig } from '../../session/load-cli-config';
import { waitForInterrupt } from '../wait-for-interrupt';

const COMMAND = 'ktrdr worker';

/** Arguments of `ktrdr worker`. */
export interface WorkerArgs {
  redis?: string;
  queue?: string;
  concurrency?: string;
  api?: string;
  'fetch-bars'?: boolean;
  'checkpoint-every'?: string;
  'lock-duration'?: string;
  'checkpoint-max-mb'?: string;
}

/**
 * Pulls jobs from the queues and runs each with the SDK's services in this process (an embedded
 * `@ktrdr/client` client over this machine's configuration), until Ctrl+C or SIGTERM; then stops
 * taking jobs, lets the running ones finish, and exits 0.
 */
export async function runWorker(context: CliContext, args: WorkerArgs): Promise<void> {
  const url = resolveRedisUrl(args.redis, context.io.env);
  if (url === undefined) {
    throw new ValidationError(`${COMMAND} needs Redis: pass --redis URL or set ${REDIS_URL_VARIABLE}.`, {
      details: { field: 'redis' },
    });
  }
  const concurrency = parseOptionalPositiveInteger(args.concurrency, '--concurrency', COMMAND);
  const checkpointEveryEpochs = parseOptionalPositiveInteger(
    args['checkpoint-every'],
    '--checkpoint-every',
    COMMAND,
  );
  const lockDurationMs = parseOptionalPositiveInteger(args['lock-duration'], '--lock-duration', COMMAND);
  const checkpointMaxMb = parseOptionalPositiveInteger(
    args['checkpoint-max-mb'],
    '--checkpoint-max-mb',
    COMMAND,
  );
  if (args['fetch-bars'] === true && (args.api === undefined || args.api === '')) {
    throw new ValidationError(`${COMMAND} --fetch-bars needs --api URL: the API to copy bars from.`, {
      details: { field: 'api' },
    });
  }
  // The worker is assembled in @ktrdr/client: an embedded client over this machine's configuration.
  const { startKtrdrWorker } = await import('@ktrdr/client/services');
  const worker = await startKtrdrWorker({
    redisUrl: url,
    queues: args.queue,
    concurrency,
    checkpointEveryEpochs,
    lockDurationMs,
    checkpointMaxBytes: checkpointMaxMb === undefined ? undefined : checkpointMaxMb * 1024 * 1024,
    apiUrl: args.api,
    fetchBars: args['fetch-bars'],
    config: loadCliConfig(context),
    env: context.io.env,
  });
  const { id, queues } = worker;
  context.note(`worker ${id} on ${queues.join(', ')} (concurrency ${worker.concurrency}). Ctrl+C stops it.`);
  if (context.format === 'json')
    context.out(JSON.stringify({ worker: id, queues, concurrency: worker.concurrency }));
  else context.out(id);
  try {
    await waitForInterrupt(context.interrupt);
    context.note('Stopping: no new jobs; waiting for the running ones...');
  } finally {
    await worker.close();
  }
  context.note('Stopped.');
}
