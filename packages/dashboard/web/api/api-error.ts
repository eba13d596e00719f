/** A failed API call: the server's error code and message, as its JSON error body gives them. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status (0 when the server could not be reached). */
    readonly status: number,
    /** The server's error code, e.g. `VALIDATION_ERROR`, `UNAUTHORIZED`. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads `{ success: false, error: { code, message } }` (or anything less) into an {@link ApiError}. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let code = `HTTP_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } | string };
    const error = body.error;
    if (typeof error === 'string') message = error;
    else if (error !== undefined) {
      if (typeof error.code === 'string') code = error.code;
      if (typeof error.message === 'string') message = error.message;
    }
  } catch {
    // Not JSON (a proxy's page): keep the status line.
  }
  return new ApiError(message, response.status, code);
}
