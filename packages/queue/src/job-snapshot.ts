import type { Job } from 'bullmq';
import type { OperationInfo, OperationProgress, OperationStatus } from '@ktrdr/core';
import { decodeFailure } from './job-failure';
import { OPERATION_TYPE_BY_QUEUE, type QueueName } from './queue-names';

/** What the API puts in a job: the route's input, as the HTTP body carried it, and what to show. */
export interface OperationJobData {
  /** The start route's input (`POST /data/load`, `POST /trainings/start`). */
  request: unknown;
  /** Facts shown with the operation (symbol, timeframe, strategy...). */
  metadata: Record<string, unknown>;
}

const iso = (ms: number | undefined) =>
  ms === undefined || ms === null ? undefined : new Date(ms).toISOString();

function statusOf(state: string, failedReason: string | undefined): OperationStatus {
  if (state === 'active') return 'running';
  if (state === 'completed') return 'completed';
  if (state === 'failed') return decodeFailure(failedReason).code === 'cancelled' ? 'cancelled' : 'failed';
  return 'pending';
}

function progressOf(progress: unknown, status: OperationStatus): OperationProgress {
  const reported =
    typeof progress === 'object' &&
    progress !== null &&
    typeof (progress as OperationProgress).percentage === 'number'
      ? (progress as OperationProgress)
      : { percentage: typeof progress === 'number' ? progress : 0 };
  return status === 'completed' && reported.percentage < 100 ? { ...reported, percentage: 100 } : reported;
}

/**
 * The operation snapshot (`GET /operations/:id`) of a job in BullMQ `state` (`active`, `waiting`,
 * `completed`...): the same shape as in-process.
 */
export function jobToOperationInfo(job: Job, state: string): OperationInfo {
  const status = statusOf(state, job.failedReason);
  const data = (job.data ?? {}) as Partial<OperationJobData>;
  const metadata = typeof data.metadata === 'object' && data.metadata !== null ? { ...data.metadata } : {};
  const info: OperationInfo = {
    operation_id: String(job.id),
    operation_type: OPERATION_TYPE_BY_QUEUE[job.queueName as QueueName] ?? job.queueName,
    status,
    created_at: iso(job.timestamp) ?? new Date(0).toISOString(),
    progress: progressOf(job.progress, status),
    // Which worker ran it (its `ktrdr worker` id: host-pid-...), once one took it.
    metadata: { ...metadata, queue: job.queueName, ...(job.processedBy ? { worker: job.processedBy } : {}) },
  };
  const startedAt = iso(job.processedOn);
  if (startedAt !== undefined) info.started_at = startedAt;
  const completedAt = iso(job.finishedOn);
  if (
    completedAt !== undefined &&
    (status === 'completed' || status === 'failed' || status === 'cancelled')
  ) {
    info.completed_at = completedAt;
  }
  if (status === 'failed' || status === 'cancelled') {
    const failure = decodeFailure(job.failedReason);
    info.error_code = failure.code;
    info.error_message = failure.message;
  }
  if (status === 'completed' && typeof job.returnvalue === 'object' && job.returnvalue !== null) {
    info.result_summary = job.returnvalue as Record<string, unknown>;
  }
  return info;
}
