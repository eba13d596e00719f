import { HostServiceError, type KtrdrError, errorFromJSON, isSerializedKtrdrError } from '../errors/index';
import { readFrames } from '../http/ndjson';
import type { CallSite } from './http-error-mapping';

function malformed(site: CallSite, status: number, what: string, cause: unknown, text?: string): KtrdrError {
  const details: Record<string, unknown> = { service: site.serviceName, url: site.url };
  if (text !== undefined) details['bodyStart'] = text.slice(0, 80);
  return new HostServiceError(`${site.serviceName} sent a malformed ${what} for ${site.method} ${site.url}`, {
    status,
    details,
    cause,
  });
}

/** Decodes a 2xx JSON body (read already, inside its attempt); an empty one is `undefined`. @internal */
export function parseJsonBody(site: CallSite, status: number, text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw malformed(site, status, 'JSON body', error, text);
  }
}

/**
 * The chunks of a response body. Leaving early (a malformed line, a throwing progress callback)
 * cancels the body, which tears the connection down; the cancellation is not awaited, as a
 * `for await` over the stream would: some streams (msw's, in tests) never settle it.
 */
async function* chunksOf(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  const reader = body.getReader();
  let done = false;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) yield read.value;
    done = true;
  } finally {
    if (!done) reader.cancel().catch(() => undefined);
  }
}

/**
 * Reads a 2xx progress stream: its frames go to `onProgress`, and it ends in a result or an error
 * frame. Resolves with the result and the bytes read; rejects with a ktrdr error for a malformed
 * stream, or with the raw error of a broken connection or an aborted signal.
 * @internal
 */
export async function readProgressStream(
  site: CallSite,
  response: Response,
  onProgress: ((progress: unknown) => void) | undefined,
): Promise<{ value: unknown; bytes: number }> {
  const { final, bytes } = await readFrames(chunksOf(response.body), (frame) => {
    if (frame.type === 'progress') onProgress?.(frame.progress);
  }).catch((error: unknown) => {
    // A line that is not JSON is the server's fault; a broken connection is mapped by the caller.
    throw error instanceof SyntaxError ? malformed(site, response.status, 'progress stream', error) : error;
  });
  if (final?.type === 'result') return { value: final.result, bytes };
  if (final?.type === 'error' && isSerializedKtrdrError(final.error)) throw errorFromJSON(final.error);
  throw new HostServiceError(
    `${site.serviceName} ended the progress stream of ${site.url} without a result`,
    {
      status: response.status,
      details: { service: site.serviceName, url: site.url },
    },
  );
}
