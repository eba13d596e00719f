import type { IncomingMessage } from 'node:http';
import { HostServiceError, type KtrdrError, errorFromJSON, isSerializedKtrdrError } from '../errors/index';
import { NDJSON_CONTENT_TYPE, readFrames } from '../http/ndjson';
import type { CallSite } from './http-error-mapping';
import { readText } from './http-exchange';

/** True when a response is a progress stream rather than one JSON body. @internal */
export function isProgressStream(response: IncomingMessage): boolean {
  return (response.headers['content-type'] ?? '').includes(NDJSON_CONTENT_TYPE);
}

function malformed(site: CallSite, status: number, what: string, cause: unknown, text?: string): KtrdrError {
  const details: Record<string, unknown> = { service: site.serviceName, url: site.url };
  if (text !== undefined) details['bodyStart'] = text.slice(0, 80);
  return new HostServiceError(`${site.serviceName} sent a malformed ${what} for ${site.method} ${site.url}`, {
    status,
    details,
    cause,
  });
}

/**
 * Reads a 2xx answer: a JSON body, or a progress stream whose frames go to `onProgress` and which
 * ends in a result or an error frame. Resolves with the value and the bytes read; rejects with a
 * ktrdr error for a malformed answer, or with the raw error of a broken connection.
 * @internal
 */
export async function readSuccess(
  site: CallSite,
  response: IncomingMessage,
  onProgress: ((progress: unknown) => void) | undefined,
): Promise<{ value: unknown; bytes: number }> {
  const status = response.statusCode ?? 200;
  if (isProgressStream(response)) {
    const { final, bytes } = await readFrames(response, (frame) => {
      if (frame.type === 'progress') onProgress?.(frame.progress);
    }).catch((error: unknown) => {
      // A line that is not JSON is the server's fault; a broken connection is mapped by the caller.
      throw error instanceof SyntaxError ? malformed(site, status, 'progress stream', error) : error;
    });
    if (final?.type === 'result') return { value: final.result, bytes };
    if (final?.type === 'error' && isSerializedKtrdrError(final.error)) throw errorFromJSON(final.error);
    throw new HostServiceError(
      `${site.serviceName} ended the progress stream of ${site.url} without a result`,
      {
        status,
        details: { service: site.serviceName, url: site.url },
      },
    );
  }
  const text = await readText(response);
  const bytes = Buffer.byteLength(text);
  if (text === '') return { value: undefined, bytes };
  try {
    return { value: JSON.parse(text) as unknown, bytes };
  } catch (error) {
    throw malformed(site, status, 'JSON body', error, text);
  }
}
