import {
  ServiceConnectionError,
  errorFromHttpStatus,
  errorFromJSON,
  isSerializedKtrdrError,
} from '@ktrdr/core';

/**
 * POSTs `body` as JSON to the API's `url` (with the API's token when set) and answers the `data` of
 * its answer. A worker's hand-offs go through it: an unreachable API or a refusal rejects with the
 * API's error, its message ending with `kept` (where the worker kept what it could not hand over).
 */
export async function postToApi(
  url: string,
  token: string | undefined,
  body: unknown,
  what: string,
  kept: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ServiceConnectionError(
      `Cannot reach the API to hand the ${what} back (${(error as Error).message}); ${kept}`,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as { data?: unknown; error?: unknown };
  if (!response.ok) {
    const error = isSerializedKtrdrError(answer.error)
      ? errorFromJSON(answer.error, response.status)
      : errorFromHttpStatus(response.status, `POST ${new URL(url).pathname} answered ${response.status}`);
    error.message = `The API refused the ${what} (${error.message}); ${kept}`;
    throw error;
  }
  if (typeof answer.data !== 'object' || answer.data === null) {
    throw new ServiceConnectionError(`POST ${new URL(url).pathname} answered no data; ${kept}`);
  }
  return answer.data as Record<string, unknown>;
}
