import { EventEmitter } from 'node:events';
import { type Job, type JobType, Queue, QueueEvents } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import {
  NotFoundError,
  type OperationInfo,
  type OperationProgress,
  type OperationStatus,
  TERMINAL_STATUSES,
  createOperationId,
} from '@ktrdr/core';
import { jobToOperationInfo, type OperationJobData } from './job-snapshot';
import {
  CANCEL_CHANNEL,
  CANCEL_REQUEST_TTL_SECONDS,
  CANCELLED_KEY,
  KEY_PREFIX,
  OPERATION_TYPE_BY_QUEUE,
  QUEUE_NAMES,
  cancelRequestKey,
  type QueueName,
} from './queue-names';
import { logConnectionErrors, redisConnectionOptions } from './redis-connection';
import { type WorkerInfo, workerKey } from './worker-info';

/** Options of {@link QueueOperations.open}. */
export interface QueueOperationsOptions {
  /** The Redis URL (`KTRDR_REDIS_URL`). */
  url: string;
  /** How long finished jobs are kept, seconds (default 7 days): what `/operations` can still list. */
  keepFinishedSeconds?: number;
  /** Interval of the safety-net poll while following an operation, ms (default 1 s). */
  followPollMs?: number;
  /**
   * Connection errors while Redis is unreachable (the connections retry on their own; default: one
   * line on stderr per error message, not per retry).
   */
  onError?: (error: Error) => void;
}

/** Filters of {@link QueueOperations.list}, as `GET /operations` takes them. */
export interface QueueListFilter {
  status?: OperationStatus;
  type?: string;
  limit?: number;
}

/** Callbacks of {@link QueueOperations.follow}. */
export interface FollowCallbacks {
  onProgress?: (progress: OperationProgress) => void;
  onStatus?: (status: OperationStatus) => void;
  /** Stops following (the operation goes on). */
  signal?: AbortSignal;
}

/** A message on the cancel channel: every worker aborts the job if it runs it. */
export interface CancelMessage {
  id: string;
  reason: string;
}

const STATES_BY_STATUS: Record<OperationStatus, JobType[]> = {
  pending: ['waiting', 'delayed', 'prioritized', 'waiting-children'],
  running: ['active'],
  completed: ['completed'],
  failed: ['failed'],
  cancelled: ['failed'],
};
const ALL_STATES: JobType[] = [
  'active',
  'waiting',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
];

/** The queue an operation id belongs to (`op_data_load_...` is on `data-load`). */
export function queueOfOperation(id: string): QueueName | undefined {
  return QUEUE_NAMES.find((name) => id.startsWith(`op_${OPERATION_TYPE_BY_QUEUE[name]}_`));
}

const isTerminal = (status: OperationStatus) => TERMINAL_STATUSES.includes(status);

/**
 * Operations as BullMQ jobs in Redis, for the backend API: start (enqueue), status, list, follow and
 * cancel. Nothing lives in this process, so an API restart loses nothing: a new instance over the
 * same Redis sees every operation, its progress and its result. The job id is the operation id.
 */
export class QueueOperations {
  private readonly queues: Map<QueueName, Queue>;
  private readonly events = new Map<QueueName, QueueEvents>();
  private readonly fanOut = new EventEmitter();

  private constructor(
    private readonly connection: ReturnType<typeof redisConnectionOptions>,
    private readonly redis: Redis,
    private readonly keepFinishedSeconds: number,
    private readonly followPollMs: number,
    private readonly onError: (error: Error) => void,
  ) {
    this.fanOut.setMaxListeners(0);
    redis.on('error', onError);
    this.queues = new Map(
      QUEUE_NAMES.map((name) => {
        const queue = new Queue(name, { connection, prefix: KEY_PREFIX });
        queue.on('error', onError);
        return [name, queue] as const;
      }),
    );
  }

  /** Connects to the Redis at `options.url` (resolves once it answers). */
  static async open(options: QueueOperationsOptions): Promise<QueueOperations> {
    const connection = redisConnectionOptions(options.url);
    const redis = new Redis(connection as RedisOptions);
    const ops = new QueueOperations(
      connection,
      redis,
      options.keepFinishedSeconds ?? 7 * 24 * 3600,
      options.followPollMs ?? 1000,
      options.onError ?? logConnectionErrors('ktrdr API'),
    );
    await redis.ping();
    return ops;
  }

  /** The BullMQ queue `name` (for workers' and health's counts). */
  queue(name: QueueName): Queue {
    return this.queues.get(name) as Queue;
  }

  /** Enqueues the start route's input as a job on `queue`; the answer is the pending operation. */
  async enqueue(
    queue: QueueName,
    request: unknown,
    metadata: Record<string, unknown> = {},
  ): Promise<OperationInfo> {
    const id = createOperationId(OPERATION_TYPE_BY_QUEUE[queue]);
    const data: OperationJobData = { request, metadata };
    const job = await this.queue(queue).add(queue, data, {
      jobId: id,
      attempts: 1,
      removeOnComplete: { age: this.keepFinishedSeconds },
      removeOnFail: { age: this.keepFinishedSeconds },
    });
    return jobToOperationInfo(job, 'waiting');
  }

  /** The snapshot of operation `id`, or a `NotFoundError`. */
  async get(id: string): Promise<OperationInfo> {
    const name = queueOfOperation(id);
    if (name !== undefined) {
      // State first, then the job: a job read just before it ends could pair a terminal state with
      // a hash that has no result or reason yet; this way round the hash is at least as new.
      const state = await this.queue(name).getJobState(id);
      const job = state === 'unknown' ? undefined : await this.queue(name).getJob(id);
      if (job !== undefined && job !== null) return jobToOperationInfo(job, state);
    }
    const cancelled = await this.redis.hget(CANCELLED_KEY, id);
    if (cancelled !== null) return JSON.parse(cancelled) as OperationInfo;
    throw new NotFoundError(`No operation ${id}. List operations to see the known ones.`, {
      details: { operationId: id },
    });
  }

  /** Snapshots, newest first, across the queues. */
  async list(filter: QueueListFilter = {}): Promise<OperationInfo[]> {
    const names = QUEUE_NAMES.filter(
      (name) => filter.type === undefined || OPERATION_TYPE_BY_QUEUE[name] === filter.type,
    );
    const states = filter.status === undefined ? ALL_STATES : STATES_BY_STATUS[filter.status];
    const infos: OperationInfo[] = [];
    for (const name of names) {
      for (const state of states) {
        const jobs = (await this.queue(name).getJobs([state], 0, -1)) as Job[];
        for (const job of jobs)
          if (job !== undefined && job !== null) infos.push(jobToOperationInfo(job, state));
      }
    }
    if (filter.status === undefined || filter.status === 'cancelled') {
      for (const raw of Object.values(await this.redis.hgetall(CANCELLED_KEY))) {
        const info = JSON.parse(raw) as OperationInfo;
        if (filter.type === undefined || info.operation_type === filter.type) infos.push(info);
      }
    }
    const matching = infos
      .filter((info) => filter.status === undefined || info.status === filter.status)
      .sort(
        (a, b) => b.created_at.localeCompare(a.created_at) || b.operation_id.localeCompare(a.operation_id),
      );
    return filter.limit === undefined ? matching : matching.slice(0, filter.limit);
  }

  /**
   * Cancels operation `id`: a waiting job is removed from its queue (and kept listed as cancelled);
   * a running one is told to stop on every worker, which aborts it and fails it as `cancelled`.
   * Answers the snapshot now; follow the operation to see it end.
   */
  async cancel(id: string, reason = 'Cancelled'): Promise<OperationInfo> {
    const info = await this.get(id);
    if (isTerminal(info.status)) return info;
    const name = queueOfOperation(id) as QueueName;
    if (info.status === 'pending') {
      const job = await this.queue(name).getJob(id);
      // remove() refuses a job a worker has just locked: then it runs, and is cancelled as such.
      const removed =
        job === undefined || job === null
          ? false
          : await job.remove().then(
              () => true,
              () => false,
            );
      if (removed) {
        const cancelled: OperationInfo = {
          ...info,
          status: 'cancelled',
          completed_at: new Date().toISOString(),
          error_code: 'cancelled',
          error_message: reason,
        };
        await this.redis.hset(CANCELLED_KEY, id, JSON.stringify(cancelled));
        this.fanOut.emit(id, 'cancelled');
        return cancelled;
      }
    }
    const message: CancelMessage = { id, reason };
    // Marked before the message goes out: a worker between taking the job and running it misses the
    // message but reads the mark before it runs the job.
    await this.redis.set(cancelRequestKey(id), reason, 'EX', CANCEL_REQUEST_TTL_SECONDS);
    await this.redis.publish(CANCEL_CHANNEL, JSON.stringify(message));
    return this.get(id);
  }

  /**
   * Follows operation `id` until it ends and resolves with its final snapshot, reporting progress
   * and status changes meanwhile (BullMQ's queue events, with a poll as a safety net for events
   * missed while Redis was unreachable). An aborted `signal` resolves with the snapshot then.
   */
  async follow(id: string, callbacks: FollowCallbacks = {}): Promise<OperationInfo> {
    let last = await this.get(id);
    if (isTerminal(last.status)) return last;
    const name = queueOfOperation(id) as QueueName;
    this.queueEvents(name);
    return new Promise<OperationInfo>((resolve, reject) => {
      let settled = false;
      const refresh = async () => {
        if (settled) return;
        try {
          const info = await this.get(id);
          if (settled) return;
          if (info.status !== last.status) callbacks.onStatus?.(info.status);
          last = info;
          if (isTerminal(info.status) || callbacks.signal?.aborted === true) finish(info);
        } catch (error) {
          if (!settled) {
            settled = true;
            cleanup();
            reject(error);
          }
        }
      };
      const onEvent = (kind: string, progress?: OperationProgress) => {
        if (kind === 'progress' && progress !== undefined) {
          last = { ...last, progress };
          callbacks.onProgress?.(progress);
          if (last.status === 'pending') void refresh();
        } else void refresh();
      };
      const poll = setInterval(() => void refresh(), this.followPollMs);
      poll.unref();
      const onAbort = () => finish(last);
      const cleanup = () => {
        clearInterval(poll);
        this.fanOut.off(id, onEvent);
        callbacks.signal?.removeEventListener('abort', onAbort);
      };
      const finish = (info: OperationInfo) => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(info);
      };
      this.fanOut.on(id, onEvent);
      callbacks.signal?.addEventListener('abort', onAbort, { once: true });
      // The job may have moved between the first read and the subscription.
      void refresh();
    });
  }

  /** Jobs per state on each queue (`/health`'s queue depths). */
  async depths(): Promise<Record<QueueName, Record<string, number>>> {
    const entries = await Promise.all(
      QUEUE_NAMES.map(
        async (name) =>
          [
            name,
            await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed'),
          ] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
  }

  /** The workers whose heartbeat is recent, by host then id. */
  async workers(): Promise<WorkerInfo[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', workerKey('*'), 'COUNT', 100);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const values = keys.length === 0 ? [] : await this.redis.mget(...keys);
    return values
      .filter((value): value is string => value !== null)
      .map((value) => JSON.parse(value) as WorkerInfo)
      .sort((a, b) => a.host.localeCompare(b.host) || a.id.localeCompare(b.id));
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.events.values()].map((events) => events.close()));
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.redis.disconnect();
  }

  private queueEvents(name: QueueName): QueueEvents {
    let events = this.events.get(name);
    if (events !== undefined) return events;
    events = new QueueEvents(name, { connection: this.connection, prefix: KEY_PREFIX });
    events.on('error', this.onError);
    events.on('progress', ({ jobId, data }) =>
      this.fanOut.emit(jobId, 'progress', data as OperationProgress),
    );
    for (const kind of ['active', 'completed', 'failed', 'removed', 'waiting'] as const) {
      events.on(kind, ({ jobId }: { jobId: string }) => this.fanOut.emit(jobId, kind));
    }
    this.events.set(name, events);
    return events;
  }
}
