import type { RequestHandler, Response } from 'express';
import type { QueueOperations } from '@ktrdr/queue';
import { EVENT_STREAM_CONTENT_TYPE, type OperationEventsOptions } from './operation-events-route';

function writeEvent(res: Response, event: string, data: unknown, id: number): void {
  res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * `GET /operations/:operation_id/events` over Redis (`KTRDR_REDIS_URL` set): the same stream as
 * {@link operationEventsRoute} (`snapshot`, `progress`, `status`, `end`), fed by BullMQ's queue
 * events, so a client follows a job whichever worker runs it, and across an API restart.
 */
export function queueOperationEventsRoute(
  operations: QueueOperations,
  options: OperationEventsOptions = {},
): RequestHandler {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  return async (req, res, next) => {
    const id = String(req.params['operation_id']);
    let snapshot;
    try {
      // An unknown id is a 404 JSON answer, before any header is sent.
      snapshot = await operations.get(id);
    } catch (error) {
      return next(error);
    }
    res.writeHead(200, {
      'content-type': EVENT_STREAM_CONTENT_TYPE,
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    let sequence = 0;
    writeEvent(res, 'snapshot', snapshot, sequence++);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      const final = await operations.follow(id, {
        signal: gone.signal,
        onProgress: (progress) => writeEvent(res, 'progress', progress, sequence++),
        onStatus: (status) => writeEvent(res, 'status', { status }, sequence++),
      });
      if (!gone.signal.aborted) writeEvent(res, 'end', final, sequence++);
    } catch {
      // Redis went away mid-stream: end it; the client reopens it once a snapshot says it still runs.
    } finally {
      clearInterval(heartbeat);
      res.end();
    }
  };
}
