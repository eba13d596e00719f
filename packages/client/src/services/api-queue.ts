import { resolveRedisUrl } from '@ktrdr/core/config';
import type { ApiQueue } from '@ktrdr/queue';

/** Options of {@link openApiQueue}. */
export interface ApiQueueOptions {
  /** The Redis URL (`--redis`); default `KTRDR_REDIS_URL`. Neither set: no queue. */
  redisUrl?: string;
  /** Environment `KTRDR_REDIS_URL` is read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** How long finished jobs are kept, seconds (default 7 days). */
  keepFinishedSeconds?: number;
  /** Interval of the safety-net poll while following an operation, ms (default 1 s). */
  followPollMs?: number;
  /** Redis connection errors (default: one stderr line per distinct message, without paths). */
  onError?: (error: Error) => void;
}

/**
 * The backend API's operations as BullMQ jobs, when a Redis URL is set (`redisUrl`, else
 * `KTRDR_REDIS_URL`): connects to Redis and builds the start routes that enqueue (loads,
 * trainings, backtests) and the operations routes that read Redis, for
 * `startServer({ kind: 'api', queue })`. Without a URL it resolves undefined and loads nothing:
 * `@ktrdr/queue`, BullMQ and ioredis are imported only when one is set.
 */
export async function openApiQueue(options: ApiQueueOptions & { redisUrl: string }): Promise<ApiQueue>;
export async function openApiQueue(options?: ApiQueueOptions): Promise<ApiQueue | undefined>;
export async function openApiQueue(options: ApiQueueOptions = {}): Promise<ApiQueue | undefined> {
  const url = resolveRedisUrl(options.redisUrl, options.env);
  if (url === undefined) return undefined;
  const [{ QueueOperations, createQueueOperationsService, createQueueStartService }, backtests] =
    await Promise.all([import('@ktrdr/queue'), import('./queue-backtest-start')]);
  const operations = await QueueOperations.open({
    url,
    keepFinishedSeconds: options.keepFinishedSeconds,
    followPollMs: options.followPollMs,
    onError: options.onError,
  });
  return {
    operations,
    startService: createQueueStartService(operations),
    backtestStartService: backtests.createQueueBacktestStartService(operations),
    operationsService: createQueueOperationsService(operations),
    close: () => operations.close(),
  };
}
