import type { RequestHandler } from 'express';
import { sendJson } from '@ktrdr/core';
import type { QueueOperations } from '@ktrdr/queue';

/**
 * `GET /workers` (with `KTRDR_REDIS_URL`): the workers with a recent heartbeat, each with its host,
 * queues, current jobs and last heartbeat. Without Redis there are no workers: the route answers an
 * empty list.
 */
export function workersRoute(operations: QueueOperations | undefined): RequestHandler {
  return async (_req, res, next) => {
    try {
      const data = operations === undefined ? [] : await operations.workers();
      sendJson(res, 200, { success: true, data, total_count: data.length });
    } catch (error) {
      next(error);
    }
  };
}
