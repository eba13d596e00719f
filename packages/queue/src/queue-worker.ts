import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type Job, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import {
  CancelledError,
  ValidationError,
  createPathRedactor,
  isKtrdrError,
  type OperationProgress,
  type ServerFolder,
} from '@ktrdr/core';
import { CheckpointRelay, type CheckpointRelayOptions } from './checkpoint-relay';
import { encodeFailure } from './job-failure';
import type { JobRunner } from './job-runner';
import { CANCEL_CHANNEL, KEY_PREFIX, type QueueName, cancelRequestKey } from './queue-names';
import { redactJobFields } from './redact-job-fields';
import { logConnectionErrors, redisConnectionOptions } from './redis-connection';
import { type WorkerInfo, workerKey } from './worker-info';

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** The Redis URL (`KTRDR_REDIS_URL`, `--redis`). */
  url: string;
  /** Queues to pull from (default both). */
  queues: readonly QueueName[];
  /** Jobs run at once per queue (default 1). */
  concurrency?: number;
  /** Runs one job: `createClientJobRunner(client, operationError)` in `ktrdr worker`. */
  runner: JobRunner;
  /** Interval of the heartbeat `/workers` shows, ms (default 5 s); a worker is gone after 3 missed. */
  heartbeatMs?: number;
  /** Connection errors while Redis is unreachable (default: one stderr line per distinct message). */
  onError?: (error: Error) => void;
  /**
   * How long a job's lock lasts without renewal, ms (BullMQ's `lockDuration`, default 30 s): a worker
   * killed mid-job is noticed this long after, and its job goes back to the queue (once: BullMQ's
   * `maxStalledCount` 1) for another worker. The stall check runs at the same interval.
   */
  lockDurationMs?: number;
  /**
   * This worker's folders (its data and models folders), shown by label (`<data dir>`) in what it
   * stores in Redis. Any other absolute path, and stack frames, are redacted too (`<path>`): a job's
   * progress, metadata, result and failure reason are answered by the API, which must not show a
   * worker machine's folders.
   */
  folders?: readonly ServerFolder[];
  /**
   * Relays `training` jobs' epoch checkpoints through Redis ({@link CheckpointRelay}), so a worker
   * with its own models folder resumes the job of one that died: this worker's models folder and
   * the size cap. Omitted, checkpoints stay in the models folder (shared, or lost with the worker).
   */
  checkpoints?: Omit<CheckpointRelayOptions, 'onWarning'>;
}

/** A running worker process's part: its id, and `close()` to stop after the running jobs. */
export interface QueueWorker {
  readonly id: string;
  /** Stops taking jobs, waits for the running ones (or aborts them with `force`), disconnects. */
  close(force?: boolean): Promise<void>;
}

/** The job's payload, or a `ValidationError` naming what is wrong with it. */
function requestOf(job: Job): unknown {
  const data: unknown = job.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('request' in data)) {
    throw new ValidationError('Malformed job payload: expected { request, metadata }.', {
      details: { field: '(job data)' },
    });
  }
  const request = (data as { request: unknown }).request;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new ValidationError('Malformed job payload: request must be an object.', {
      details: { field: 'request' },
    });
  }
  return request;
}

/**
 * Starts pulling jobs from `queues` and running them with `runner`: progress goes to
 * `job.updateProgress`, a cancel request (on the cancel channel, from `QueueOperations.cancel`)
 * aborts the running job's signal, and the job's result is the runner's small result. A failure is
 * written as `<code>: <message>`, so the operation shows the same error as in-process.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const connection = redisConnectionOptions(options.url);
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const current = new Set<string>();
  const redis = new Redis(connection as RedisOptions);
  const subscriber = new Redis(connection as RedisOptions);
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const onError = options.onError ?? logConnectionErrors(`ktrdr worker ${id}`);
  redis.on('error', onError);
  subscriber.on('error', onError);
  const redact = createPathRedactor(options.folders);
  const relay =
    options.checkpoints === undefined
      ? undefined
      : new CheckpointRelay(redis, {
          ...options.checkpoints,
          onWarning: (message) => process.stderr.write(`ktrdr worker ${id}: ${redact(message)}\n`),
        });

  const processor = async (job: Job, _token?: string, bullSignal?: AbortSignal) => {
    const operationId = String(job.id);
    current.add(operationId);
    const checkpoints = job.queueName === 'training' ? relay : undefined;
    let stopRelay: (() => Promise<void>) | undefined;
    try {
      const request = requestOf(job);
      // A cancel published after this worker took the job but before BullMQ tracked it (so before
      // `bullSignal` existed) reached no one: its mark in Redis says so.
      const cancelRequested = await redis.get(cancelRequestKey(operationId));
      if (cancelRequested !== null) throw new CancelledError(cancelRequested);
      const signal = bullSignal ?? new AbortController().signal;
      const reportProgress = (progress: OperationProgress) =>
        void job.updateProgress(redactJobFields({ ...progress }, redact)).catch(() => undefined);
      const reportMetadata = (metadata: Record<string, unknown>) => {
        const data = job.data as { metadata?: Record<string, unknown> };
        const added = redactJobFields(metadata, redact);
        void job.updateData({ ...data, metadata: { ...data.metadata, ...added } }).catch(() => undefined);
      };
      if (checkpoints !== undefined) {
        // A job handed on from a dead worker: its last checkpoint, into this worker's folder.
        await checkpoints.restore(operationId);
        stopRelay = checkpoints.follow(operationId);
      }
      const result = await options.runner(job.queueName as QueueName, request, {
        operationId,
        signal,
        restarted: job.stalledCounter > 0 || job.attemptsStarted > 1,
        reportProgress,
        reportMetadata,
      });
      return redactJobFields(result, redact);
    } catch (error) {
      const cancelled = bullSignal?.aborted === true && !(isKtrdrError(error) && error.code === 'cancelled');
      throw new Error(
        redact(
          encodeFailure(cancelled ? new CancelledError(String(bullSignal?.reason ?? 'Cancelled')) : error),
        ),
      );
    } finally {
      current.delete(operationId);
      // The job ended here (completed, failed or cancelled): no worker will resume it.
      await stopRelay?.();
      await checkpoints?.discard(operationId).catch(() => undefined);
    }
  };

  const workers = options.queues.map((name) => {
    const worker = new Worker(name, processor, {
      connection,
      prefix: KEY_PREFIX,
      concurrency: options.concurrency ?? 1,
      name: id,
      ...(options.lockDurationMs === undefined
        ? {}
        : { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
    });
    worker.on('error', onError);
    return worker;
  });

  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const { id: jobId, reason } = JSON.parse(raw) as { id: string; reason: string };
      for (const worker of workers) worker.cancelJob(jobId, reason);
    } catch {
      // Not ours: ignore.
    }
  });

  const beat = async () => {
    const info: WorkerInfo = {
      id,
      host: hostname(),
      pid: process.pid,
      queues: [...options.queues],
      concurrency: options.concurrency ?? 1,
      current_jobs: [...current],
      last_heartbeat: new Date().toISOString(),
    };
    await redis.set(workerKey(id), JSON.stringify(info), 'PX', heartbeatMs * 3).catch(() => undefined);
  };
  await beat();
  const heartbeat = setInterval(() => void beat(), heartbeatMs);
  heartbeat.unref();
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  return {
    id,
    async close(force = false) {
      clearInterval(heartbeat);
      await Promise.allSettled(workers.map((worker) => worker.close(force)));
      await redis.del(workerKey(id)).catch(() => undefined);
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}
