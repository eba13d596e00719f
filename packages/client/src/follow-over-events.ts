import {
  CancelledError,
  KtrdrError,
  type OperationInfo,
  type OperationProgress,
  type OperationsContract,
  type ServiceClient,
  ServiceConnectionError,
  TERMINAL_STATUSES,
  errorFromHttpStatus,
  errorFromJSON,
  isSerializedKtrdrError,
  sleep,
} from '@ktrdr/core';
import type { FollowOptions } from './client-connection';
import { readServerSentEvents } from './sse-events';

/** Where the events stream is, and how to ask for it. @internal */
export interface EventsEndpoint {
  /** The API's base URL (`.../api/v1`). */
  baseUrl: string;
  headers: Record<string, string>;
  serviceName: string;
  /** Snapshots, for a stream that dropped before the operation ended. */
  operations: ServiceClient<OperationsContract>;
}

/** Pause before reopening a dropped stream: the API may be restarting. */
const REOPEN_DELAY_MS = 500;

async function errorFromAnswer(response: Response, serviceName: string): Promise<KtrdrError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: unknown } | undefined)?.error;
  if (isSerializedKtrdrError(error)) return errorFromJSON(error, response.status);
  return errorFromHttpStatus(
    response.status,
    `${serviceName} answered ${response.status} to an events stream`,
  );
}

function stopped(signal: AbortSignal | undefined, id: string, error: unknown): KtrdrError {
  const reason: unknown = signal?.reason;
  if (reason instanceof KtrdrError) return reason;
  return new CancelledError(`Following ${id} was stopped`, { cause: reason ?? error });
}

/** One pass over the stream: the final snapshot, or undefined when the stream ended first. */
async function readStream(
  endpoint: EventsEndpoint,
  id: string,
  { signal, onProgress }: FollowOptions,
): Promise<OperationInfo | undefined> {
  const url = `${endpoint.baseUrl}/operations/${encodeURIComponent(id)}/events`;
  let response: Response;
  try {
    // Over fetch, not the client's transport: the transport's calls each answer one JSON body and
    // retry, while this stream stays open as long as the operation runs (hours, for a training).
    response = await fetch(url, { headers: { ...endpoint.headers, accept: 'text/event-stream' }, signal });
  } catch (error) {
    if (signal?.aborted === true) throw stopped(signal, id, error);
    throw new ServiceConnectionError(`${endpoint.serviceName} is not reachable at ${endpoint.baseUrl}`, {
      cause: error,
      details: { service: endpoint.serviceName },
    });
  }
  if (!response.ok || response.body === null) throw await errorFromAnswer(response, endpoint.serviceName);
  try {
    for await (const event of readServerSentEvents(response.body as unknown as AsyncIterable<Uint8Array>)) {
      if (event.event === 'progress') onProgress?.(JSON.parse(event.data) as OperationProgress);
      if (event.event === 'end') return JSON.parse(event.data) as OperationInfo;
      if (event.event === 'snapshot') {
        const info = JSON.parse(event.data) as OperationInfo;
        if (TERMINAL_STATUSES.includes(info.status)) return info;
      }
    }
  } catch (error) {
    if (signal?.aborted === true) throw stopped(signal, id, error);
    // The connection broke mid-stream: the caller asks for a snapshot and reopens.
  }
  return undefined;
}

/**
 * Follows an operation over `GET /operations/:id/events` (server-sent events) to its final
 * snapshot. A stream that drops before the `end` event (a proxy's idle timeout, an API restart) is
 * reopened after a snapshot says the operation still runs; an operation that is gone (the API
 * restarted and forgot it) fails with the API's `NotFoundError`.
 * @internal
 */
export async function followOverEvents(
  endpoint: EventsEndpoint,
  id: string,
  options: FollowOptions,
): Promise<OperationInfo> {
  while (true) {
    const final = await readStream(endpoint, id, options);
    if (final !== undefined) return final;
    const { data } = await endpoint.operations.get({ operation_id: id }, { signal: options.signal });
    if (TERMINAL_STATUSES.includes(data.status)) return data;
    await sleep(REOPEN_DELAY_MS, options.signal);
  }
}
