import { ValidationError } from '@ktrdr/core';

/** The queues operations run on, by kind of work. */
export const QUEUE_NAMES = ['training', 'data-load'] as const;

/** A queue's name. */
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The operation type (`operation_type`, the id's prefix) of each queue's jobs, as in-process. */
export const OPERATION_TYPE_BY_QUEUE: Readonly<Record<QueueName, string>> = {
  training: 'training',
  'data-load': 'data_load',
};

/** Prefix of every BullMQ key ktrdr writes, so one Redis can serve other applications too. */
export const KEY_PREFIX = 'ktrdr';

/** Pub/sub channel that carries cancel requests to every worker. */
export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;

/** Hash of operations cancelled while still waiting (their jobs are removed from the queue). */
export const CANCELLED_KEY = `${KEY_PREFIX}:cancelled-waiting`;

/** True for a known queue name. */
export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}

/** Parses `training,data-load` (the `--queue` flag); throws on an unknown name. */
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
