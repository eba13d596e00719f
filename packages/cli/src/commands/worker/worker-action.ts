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
}

/**
 * Pulls jobs from the queues and runs each with the SDK's services in this process (an embedded
 * `@ktrdr/client` client over this machine's configuration), until Ctrl+C or SIGTERM; then stops
 * taking jobs, lets the running ones finish, and exits 0.
 */
export async function runWorker(context: CliContext, args: WorkerArgs): Promise<void> {
  const {
    createBarsFetch,
    createClientJobRunner,
    createModelHandOff,
    parseQueueNames,
    resolveRedisUrl,
    startQueueWorker,
    REDIS_URL_VARIABLE,
  } = await import('@ktrdr/queue');
  const url = resolveRedisUrl(args.redis, context.io.env);
  if (url === undefined) {
    throw new ValidationError(`${COMMAND} needs Redis: pass --redis URL or set ${REDIS_URL_VARIABLE}.`, {
      details: { field: 'redis' },
    });
  }
  const queues = parseQueueNames(args.queue);
  const concurrency = parseOptionalPositiveInteger(args.concurrency, '--concurrency', COMMAND) ?? 1;
  const checkpointEveryEpochs = parseOptionalPositiveInteger(
    args['checkpoint-every'],
    '--checkpoint-every',
    COMMAND,
  );
  const lockDurationMs = parseOptionalPositiveInteger(args['lock-duration'], '--lock-duration', COMMAND);
  const { API_TOKEN_VARIABLE, apiBaseUrl, createKtrdrClient, operationError } = await import('@ktrdr/client');
  const apiUrl = args.api === undefined || args.api === '' ? undefined : apiBaseUrl(args.api);
  if (args['fetch-bars'] === true && apiUrl === undefined) {
    throw new ValidationError(`${COMMAND} --fetch-bars needs --api URL: the API to copy bars from.`, {
      details: { field: 'api' },
    });
  }
  const token = context.io.env[API_TOKEN_VARIABLE];
  const client = await createKtrdrClient({
    mode: 'embedded',
    config: loadCliConfig(context),
    env: context.io.env,
  });
  try {
    const worker = await startQueueWorker({
      url,
      queues,
      concurrency,
      lockDurationMs,
      folders: [
        { label: 'data dir', path: client.config.dataDir },
        { label: 'models dir', path: client.config.modelsDir },
      ],
      // Checkpoints go to this worker's models folder: another worker resumes a killed one's job
      // only if it shares that folder (docs/guides/scale-out.md).
      runner: createClientJobRunner(client, operationError, {
        checkpointEveryEpochs,
        handOff:
          apiUrl === undefined
            ? undefined
            : createModelHandOff({ apiUrl, token, modelsDir: client.config.modelsDir }),
        fetchBars:
          apiUrl === undefined || args['fetch-bars'] !== true
            ? undefined
            : createBarsFetch({ apiUrl, token, dataDir: client.config.dataDir }),
      }),
    });
    context.note(
      `worker ${worker.id} on ${queues.join(', ')} (concurrency ${concurrency}). Ctrl+C stops it.`,
    );
    if (context.format === 'json') context.out(JSON.stringify({ worker: worker.id, queues, concurrency }));
    else context.out(worker.id);
    try {
      await waitForInterrupt(context.interrupt);
      context.note('Stopping: no new jobs; waiting for the running ones...');
    } finally {
      await worker.close();
    }
  } finally {
    await client.close();
  }
  context.note('Stopped.');
}
