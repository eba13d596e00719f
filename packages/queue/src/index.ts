/**
 * `@ktrdr/queue`: ktrdr's operations as BullMQ jobs on Redis. The backend API enqueues and reads
 * operations through {@link QueueOperations} (so they survive its restart); `ktrdr worker` runs
 * them anywhere with {@link startQueueWorker}. Loaded only when `KTRDR_REDIS_URL` / `--redis` is set.
 */
// Re-exported from `@ktrdr/core` (where a bin reads them before it loads this package).
export { REDIS_URL_VARIABLE, resolveRedisUrl } from '@ktrdr/core';
export { redactRedisError, redisConnectionOptions } from './redis-connection';
export {
  CANCEL_CHANNEL,
  KEY_PREFIX,
  OPERATION_TYPE_BY_QUEUE,
  QUEUE_NAMES,
  isQueueName,
  parseQueueNames,
  type QueueName,
} from './queue-names';
export { decodeFailure, encodeFailure } from './job-failure';
export { jobToOperationInfo, type OperationJobData } from './job-snapshot';
export {
  QueueOperations,
  queueOfOperation,
  type CancelMessage,
  type FollowCallbacks,
  type QueueListFilter,
  type QueueOperationsOptions,
} from './queue-operations';
export { createQueueOperationsService } from './queue-operations-service';
export { createQueueStartService, queueStartContract } from './queue-start-service';
export {
  createClientJobRunner,
  withJobCheckpoint,
  type ClientJobRunnerOptions,
  type JobRunContext,
  type JobRunner,
  type JobRunnerClient,
} from './job-runner';
export { createBarsFetch, type BarsFetch, type BarsFetchOptions, type FetchedSeries } from './bars-fetch';
export { createModelHandOff, type ModelHandOff, type ModelHandOffOptions } from './model-hand-off';
export {
  createBacktestHandOff,
  type BacktestHandOff,
  type BacktestHandOffOptions,
} from './backtest-hand-off';
export {
  CheckpointRelay,
  DEFAULT_CHECKPOINT_MAX_BYTES,
  type CheckpointRelayOptions,
} from './checkpoint-relay';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './queue-worker';
export { workerKey, type WorkerInfo } from './worker-info';
export type { ApiQueue } from './api-queue';
