import { ApiError, apiErrorOf } from './api-error';

/** Where the API lives and how to sign requests to it. */
export interface ApiSession {
  /** The API's base URL, e.g. `http://127.0.0.1:8000/api/v1` (no trailing slash). */
  baseUrl: string;
  /** Bearer token, when the server requires one. */
  token?: string;
}

/**
 * A thin fetch wrapper: every call carries the token in the `Authorization` header (never in the
 * URL, where logs and history would keep it) and turns error answers into {@link ApiError}s.
 */
export class ApiClient {
  constructor(readonly session: ApiSession) {}

  /** Headers of every request. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = this.session.token;
    return token === undefined || token === '' ? extra : { ...extra, authorization: `Bearer ${token}` };
  }

  /** Absolute URL of an API path such as `/operations`. */
  url(path: string): string {
    return `${this.session.baseUrl}${path}`;
  }

  /** Any request; resolves with the response when it is 2xx, throws {@link ApiError} otherwise. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        ...init,
        headers: this.headers((init.headers as Record<string, string> | undefined) ?? {}),
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiError(`Cannot reach the API at ${this.session.baseUrl}.`, 0, 'UNREACHABLE');
    }
    if (!response.ok) throw await apiErrorOf(response);
    return response;
  }

  /** GET a JSON answer. */
  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await (await this.request(path, { signal })).json()) as T;
  }

  /** POST (or DELETE) a JSON body and read the JSON answer. */
  async send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await this.request(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as T;
  }
}
