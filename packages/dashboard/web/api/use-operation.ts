import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from './api-client';
import { type OperationInfo, isFinished } from './api-types';
import { readEventStream } from './event-stream';

/**
 * An operation kept live over its progress stream (`GET /operations/:id/events`, read with fetch so
 * the token travels in a header): the snapshot first, then each progress and status change, until
 * the `end` event. `initial` is shown until the stream's first event; without an id, `initial` is
 * shown as it is given (a list refreshed by polling).
 */
export function useOperation(
  client: ApiClient,
  operationId: string | undefined,
  initial?: OperationInfo,
): { info: OperationInfo | undefined; error: string | undefined } {
  const [info, setInfo] = useState<OperationInfo | undefined>(initial);
  const [error, setError] = useState<string | undefined>();
  const finished = initial !== undefined && isFinished(initial.status);
  useEffect(() => {
    if (operationId === undefined || finished) return;
    const abort = new AbortController();
    void (async () => {
      try {
        const response = await client.request(`/operations/${encodeURIComponent(operationId)}/events`, {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        });
        await readEventStream(
          response,
          (event) => {
            const data = JSON.parse(event.data) as Record<string, unknown>;
            if (event.event === 'snapshot' || event.event === 'end')
              setInfo(data as unknown as OperationInfo);
            else if (event.event === 'progress')
              setInfo((prev) => prev && { ...prev, progress: data as OperationInfo['progress'] });
            else if (event.event === 'status')
              setInfo((prev) => prev && { ...prev, status: data['status'] as OperationInfo['status'] });
          },
          abort.signal,
        );
      } catch (e) {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => abort.abort();
  }, [client, operationId, finished]);
  // Not followed (no id, or already finished): what the caller lists is the latest there is.
  const followed = operationId !== undefined && !finished;
  return { info: followed ? (info ?? initial) : initial, error };
}
