import type { WorkerInfo } from '@ktrdr/queue';
import {
  ValidationError,
  errorFromHttpStatus,
  errorFromJSON,
  isSerializedKtrdrError,
} from '@ktrdr/core/errors';
import { REDIS_URL_VARIABLE } from '@ktrdr/core/config';
import type { CliContext } from '../../cli/context';
import { timeFormat } from '../../output/formatters';
import { printView } from '../../output/print-view';

/** Arguments of `ktrdr workers`. */
export interface WorkersArgs {
  redis?: string;
}

/** `GET /workers` of the API at `url`, with the API token when one is set. */
async function workersFromApi(context: CliContext, url: string): Promise<WorkerInfo[]> {
  const { API_TOKEN_VARIABLE, apiBaseUrl } = await import('@ktrdr/client');
  const token = context.io.env[API_TOKEN_VARIABLE];
  const response = await fetch(`${apiBaseUrl(url)}/workers`, {
    headers: token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` },
    signal: context.interrupt,
  });
  const body = (await response.json().catch(() => ({}))) as { data?: WorkerInfo[]; error?: unknown };
  if (!response.ok) {
    throw isSerializedKtrdrError(body.error)
      ? errorFromJSON(body.error, response.status)
      : errorFromHttpStatus(response.status, `GET /workers answered ${response.status}`);
  }
  return body.data ?? [];
}

/** Lists the workers whose heartbeat is recent: from the API with `--url`, else from Redis. */
export async function listWorkers(context: CliContext, args: WorkersArgs): Promise<void> {
  let workers: WorkerInfo[];
  let source: string;
  const apiUrl = context.apiUrl;
  if (args.redis === undefined && apiUrl !== undefined) {
    workers = await workersFromApi(context, apiUrl);
    source = apiUrl;
  } else {
    const { openApiQueue } = await import('@ktrdr/client/services');
    const queue = await openApiQueue({ redisUrl: args.redis, env: context.io.env });
    if (queue === undefined) {
      throw new ValidationError(
        `ktrdr workers needs an API (--url, KTRDR_API_URL) or Redis (--redis, ${REDIS_URL_VARIABLE}).`,
        { details: { field: 'url' } },
      );
    }
    try {
      workers = await queue.operations.workers();
    } finally {
      await queue.close();
    }
    source = 'Redis';
  }
  printView(context, {
    blocks: [
      {
        kind: 'table',
        title: `Workers at ${source}`,
        empty: 'No workers (none has sent a heartbeat in the last 15 s).',
        columns: [
          { key: 'id', header: 'worker' },
          { key: 'host', header: 'host' },
          { key: 'queues', header: 'queues' },
          { key: 'current', header: 'running' },
          { key: 'last_heartbeat', header: 'heartbeat', format: timeFormat },
        ],
        rows: workers.map((worker) => ({
          id: worker.id,
          host: worker.host,
          queues: `${worker.queues.join(',')} x${worker.concurrency}`,
          current: worker.current_jobs.length === 0 ? '-' : worker.current_jobs.join(' '),
          last_heartbeat: worker.last_heartbeat,
        })),
      },
    ],
    json: workers,
  });
}
