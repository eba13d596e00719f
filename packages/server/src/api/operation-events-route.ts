import type { RequestHandler, Response } from 'express';
import type { OperationHandle, OperationRegistry } from '@ktrdr/core';

/** Content type of the live progress stream. */
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream';

/** Options of {@link operationEventsRoute}. */
export interface OperationEventsOptions {
  /** Interval of `: keep-alive` comments, so proxies do not drop a quiet stream (default 15 s). */
  heartbeatMs?: number;
}

function writeEvent(res: Response, event: string, data: unknown, id?: number): void {
  // JSON never contains a raw newline, so one `data:` line per event is enough.
  res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * `GET /operations/:operation_id/events`: the operation's live progress as server-sent events. The
 * stream opens with a `snapshot` event (the operation as it is now), then sends a `progress` event per
 * update and a `status` event per status change, and ends with an `end` event carrying the final
 * snapshot, after which the server closes it. A client that goes away only stops listening: the
 * operation goes on (cancel it with `DELETE /operations/:id`).
 */
export function operationEventsRoute(
  operations: OperationRegistry,
  options: OperationEventsOptions = {},
): RequestHandler {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  return (req, res) => {
    // An unknown id throws NotFoundError before any header is sent: a 404 JSON answer, not a stream.
    const handle: OperationHandle<unknown> = operations.get(String(req.params['operation_id']));
    res.writeHead(200, {
      'content-type': EVENT_STREAM_CONTENT_TYPE,
      'cache-control': 'no-cache, no-transform',
      // Tell buffering reverse proxies (nginx) to pass events through as they come.
      'x-accel-buffering': 'no',
    });
    let sequence = 0;
    writeEvent(res, 'snapshot', handle.describe(), sequence++);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    const onProgress = (progress: unknown) => writeEvent(res, 'progress', progress, sequence++);
    const onStatus = (status: string) => {
      if (!handle.done) return writeEvent(res, 'status', { status }, sequence++);
      writeEvent(res, 'end', handle.describe(), sequence++);
      stop();
      res.end();
    };
    const stop = () => {
      clearInterval(heartbeat);
      handle.off('progress', onProgress);
      handle.off('status', onStatus);
    };
    if (handle.done) return onStatus(handle.status);
    handle.on('progress', onProgress);
    handle.on('status', onStatus);
    // The client went away: stop listening, so a long operation does not hold dead responses.
    res.on('close', stop);
  };
}
