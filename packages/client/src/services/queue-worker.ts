import type { KtrdrConfig } from '@ktrdr/core';
import { ValidationError } from '@ktrdr/core';
import { defaultBacktestsDir } from '@ktrdr/backtest';
import type { QueueName } from '@ktrdr/queue';
import { apiBaseUrl } from '../api-url';
import { createKtrdrClient } from '../create-ktrdr-client';
import { operationError } from '../operation-error';
import { tokenFrom } from './host-service-token';

/** Options of {@link startKtrdrWorker}. */
export interface KtrdrWorkerOptions {
  /** The Redis URL (`--redis`, `KTRDR_REDIS_URL`). */
  redisUrl: string;
  /** Queues to pull from: names or `training,data-load,backtest` (default all); an unknown one is refused. */
  queues?: string | readonly string[];
  /** Jobs run at once per queue (default 1). */
  concurrency?: number;
  /** A training job's checkpoint interval, in epochs (default every epoch). */
  checkpointEveryEpochs?: number;
  /**
   * Largest training checkpoint relayed through Redis to the worker that takes over a dead one's
   * job, bytes (default 8 MiB); a larger one is resumed only by a worker sharing this models folder.
   */
  checkpointMaxBytes?: number;
  /** How long before a killed worker's job goes to another worker, ms (default 30 s). */
  lockDurationMs?: number;
  /**
   * The API this worker does not share folders with (`--api`): trained models are handed back to
   * its model store, backtests to its backtests folder, and with `fetchBars` the bars of a training
   * or a backtest are copied from it first.
   */
  apiUrl?: string;
  /** Copy each training's and backtest's bars from `apiUrl` into this worker's store before it runs. */
  fetchBars?: boolean;
  /** The API's token (default `KTRDR_API_TOKEN`). */
  token?: string;
  /** This worker's configuration (default `loadConfig()` over `env`): its data and models folders. */
  config?: KtrdrConfig;
  /** Environment the defaults come from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A running `ktrdr worker`: its id, what it pulls, and `close()`. */
export interface KtrdrWorker {
  /** `host-pid-xxxxxx`, as `/workers` lists it. */
  readonly id: string;
  readonly queues: readonly QueueName[];
  readonly concurrency: number;
  /** Its embedded client's folders. */
  readonly config: KtrdrConfig;
  /** Stops taking jobs, waits for the running ones (or aborts them with `force`), closes the client. */
  close(force?: boolean): Promise<void>;
}

/**
 * Assembles and starts a queue worker, what `ktrdr worker` runs: an embedded client over this
 * machine's configuration runs each job with the SDK's services (`createClientJobRunner`); epoch
 * checkpoints are named by the operation id and relayed through Redis to whichever worker resumes
 * the job; the model is handed back to `apiUrl`, and the bars fetched from it, when this worker does
 * not share the API's folders; its folders are redacted from what it stores in Redis. Loads
 * `@ktrdr/queue` (BullMQ, ioredis) when called.
 */
export async function startKtrdrWorker(options: KtrdrWorkerOptions): Promise<KtrdrWorker> {
  const queue = await import('@ktrdr/queue');
  const names = options.queues;
  const queues = queue.parseQueueNames(typeof names === 'object' ? names.join(',') : names);
  const apiUrl =
    options.apiUrl === undefined || options.apiUrl === '' ? undefined : apiBaseUrl(options.apiUrl);
  if (options.fetchBars === true && apiUrl === undefined) {
    throw new ValidationError('Fetching bars needs the API to copy them from (apiUrl, --api).', {
      details: { field: 'apiUrl' },
    });
  }
  const env = options.env ?? process.env;
  const token = tokenFrom(options.token, env);
  const concurrency = options.concurrency ?? 1;
  const client = await createKtrdrClient({ mode: 'embedded', config: options.config, env });
  const { dataDir, modelsDir } = client.config;
  try {
    const worker = await queue.startQueueWorker({
      url: options.redisUrl,
      queues,
      concurrency,
      lockDurationMs: options.lockDurationMs,
      folders: [
        { label: 'data dir', path: dataDir },
        { label: 'models dir', path: modelsDir },
      ],
      // Checkpoints go to this worker's models folder and, through Redis, to the worker that takes
      // over a killed one's job, which need not share the folder (docs/guides/scale-out.md).
      checkpoints: { modelsDir, maxBytes: options.checkpointMaxBytes },
      runner: queue.createClientJobRunner(client, operationError, {
        checkpointEveryEpochs: options.checkpointEveryEpochs,
        handOff: apiUrl === undefined ? undefined : queue.createModelHandOff({ apiUrl, token, modelsDir }),
        backtestHandOff:
          apiUrl === undefined
            ? undefined
            : queue.createBacktestHandOff({ apiUrl, token, backtestsDir: defaultBacktestsDir(modelsDir) }),
        fetchBars:
          apiUrl === undefined || options.fetchBars !== true
            ? undefined
            : queue.createBarsFetch({ apiUrl, token, dataDir }),
      }),
    });
    return {
      id: worker.id,
      queues,
      concurrency,
      config: client.config,
      async close(force = false) {
        try {
          await worker.close(force);
        } finally {
          await client.close();
        }
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}
