import { ValidationError } from '@ktrdr/core';

/** The queues operations run on, by kind of work; a worker pulls from all of them by default. */
export const QUEUE_NAMES = ['training', 'data-load', 'backtest'] as const;

/** A queue's name. */
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The operation type (`operation_type`, the id's prefix) of each queue's jobs, as in-process. */
export const OPERATION_TYPE_BY_QUEUE: Readonly<Record<QueueName, string>> = {
  training: 'training',
  'data-load': 'data_load',
  backtest: 'backtest',
};

/** Prefix of every BullMQ key ktrdr writes, so one Redis can serve other applications too. */
export const KEY_PREFIX = 'ktrdr';

/** Pub/sub channel that carries cancel requests to every worker. */
export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;

/**
 * Key marking operation `id` as asked to cancel, written before the cancel message is published:
 * a worker that took the job but had not started it yet when the message went out reads it before
 * running the job, so that cancel still wins.
 */
export function cancelRequestKey(id: string): string {
  return `${KEY_PREFIX}:cancel-request:${id}`;
}

/** Key of operation `id`'s latest training checkpoint (a hash: `epoch`, `data`), for the next worker. */
export function checkpointKey(id: string): string {
  return `${KEY_PREFIX}:checkpoint:${id}`;
}

/** How long a cancel request is kept (as long as finished jobs are): 7 days. */
export const CANCEL_REQUEST_TTL_SECONDS = 7 * 24 * 3600;

/** Hash of operations cancelled while still waiting (their jobs are removed from the queue). */
export const CANCELLED_KEY = `${KEY_PREFIX}:cancelled-waiting`;

/** True for a known queue name. */
export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}

/** Parses `training,data-load,backtest` (the `--queue` flag; empty: all); throws on an unknown name. */
export function parseQueueNames(value: string | undefined): QueueName[] {
  if (value === undefined || value.trim() === '') return [...QUEUE_NAMES];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !isQueueName(name));
  if (unknown.length > 0) {
    throw new ValidationError(`Unknown queue ${unknown.join(', ')}: use ${QUEUE_NAMES.join(', ')}.`);
  }
  return [...new Set(names)] as QueueName[];
}
