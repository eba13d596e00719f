import ky, { HTTPError, type KyInstance } from 'ky';
import { Agent } from 'undici';
import type { ServiceRequest } from '../contract/implement-service';
import {
  HostServiceError,
  KtrdrError,
  ServiceConnectionError,
  errorFromJSON,
  isSerializedKtrdrError,
} from '../errors/index';
import { NDJSON_CONTENT_TYPE, readFrames } from '../http/ndjson';
import { linkedSignal } from '../internal/abort';
import { type CallSite, errorFromFailure, errorFromResponse } from './http-error-mapping';
import type { CallOptions, Transport, TransportCounters } from './transport';

/** Retry policy of the HTTP transport. Only idempotent calls are retried. */
export interface HttpRetryOptions {
  /** Retries after the first attempt (default 2). */
  limit?: number;
  /** Largest backoff between attempts, in ms (default 5000); jitter applies below it. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured, in ms (default 30000); longer ones fail at once. */
  maxRetryAfterMs?: number;
}

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Base URL of the service, e.g. `http://localhost:8001`. */
  baseUrl: string;
  /** Display name used in errors, e.g. "IB host service". */
  serviceName: string;
  /** Environment variable that sets `baseUrl`, named in connection errors. */
  urlVariable?: string;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** Default total deadline across retries, in ms (none by default). */
  deadlineMs?: number;
  /** Retry policy, or `false` for none. */
  retry?: HttpRetryOptions | false;
  /** Bearer token sent as `Authorization` (the server's `KTRDR_API_TOKEN`). */
  token?: string;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** Most sockets kept open to the service (default 16). */
  connections?: number;
  /** How long an idle keep-alive socket is kept, in ms (default 30000). */
  keepAliveTimeoutMs?: number;
}

const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];

/**
 * The HTTP transport: one keep-alive connection pool per transport, reused by every call (the
 * seed's "one persistent client per process"). Per-attempt timeout and total deadline; retries with
 * exponential backoff and jitter for idempotent calls only, honouring `Retry-After`; every failure
 * mapped to a ktrdr error that names the service and URL.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agent = new Agent({
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connections: options.connections ?? 16,
  });
  const retry = options.retry === false ? { limit: 0 } : (options.retry ?? {});
  const counters: TransportCounters = { bytesSent: 0, bytesReceived: 0, attempts: 0, retries: 0 };
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const client: KyInstance = ky.create({
    headers,
    timeout: timeoutMs,
    // Passed through to fetch: all calls share this transport's connection pool.
    dispatcher: agent,
    hooks: {
      beforeRequest: [() => void counters.attempts++],
      beforeRetry: [() => void counters.retries++],
    },
  } as Parameters<typeof ky.create>[0]);
  let closed = false;

  return {
    kind: 'http',
    serviceName: options.serviceName,
    target: baseUrl,
    counters: () => ({ ...counters }),
    async call(request: ServiceRequest, callOptions: CallOptions = {}) {
      const url = baseUrl + request.path;
      const site: CallSite = {
        serviceName: options.serviceName,
        baseUrl,
        method: request.method,
        url,
        urlVariable: options.urlVariable,
      };
      if (closed) {
        throw new ServiceConnectionError(`${options.serviceName} client for ${baseUrl} is closed`, {
          details: { service: options.serviceName, url },
        });
      }
      const deadlineMs = callOptions.deadlineMs ?? options.deadlineMs;
      const attemptTimeout = callOptions.timeoutMs ?? timeoutMs;
      const linked = linkedSignal(
        [callOptions.signal],
        deadlineMs === undefined
          ? undefined
          : {
              ms: deadlineMs,
              message: `${options.serviceName} did not complete ${request.method} ${url} within its ${deadlineMs} ms deadline`,
              details: { service: options.serviceName, url, deadlineMs },
            },
      );
      const idempotent = callOptions.idempotent ?? request.method === 'GET';
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      if (body !== undefined) counters.bytesSent += Buffer.byteLength(body);
      const searchParams = new URLSearchParams();
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (Array.isArray(value)) for (const v of value) searchParams.append(key, v);
        else if (value !== undefined) searchParams.append(key, value);
      }
      try {
        const response = await client(url, {
          method: request.method,
          body,
          searchParams,
          signal: linked.signal,
          timeout: attemptTimeout,
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            accept:
              callOptions.onProgress === undefined
                ? 'application/json'
                : `${NDJSON_CONTENT_TYPE}, application/json`,
          },
          retry: {
            limit: idempotent ? (retry.limit ?? 2) : 0,
            methods: ['get', 'post', 'delete'],
            statusCodes: RETRY_STATUS_CODES,
            afterStatusCodes: [413, 429, 503],
            maxRetryAfter: retry.maxRetryAfterMs ?? 30_000,
            backoffLimit: retry.maxDelayMs ?? 5_000,
            jitter: true,
            retryOnTimeout: true,
          },
        });
        if (
          (response.headers.get('content-type') ?? '').includes(NDJSON_CONTENT_TYPE) &&
          response.body !== null
        ) {
          const { final, bytes } = await readFrames(response.body, (frame) => {
            if (frame.type === 'progress') callOptions.onProgress?.(frame.progress);
          });
          counters.bytesReceived += bytes;
          if (final?.type === 'result') return final.result;
          if (final?.type === 'error' && isSerializedKtrdrError(final.error))
            throw errorFromJSON(final.error);
          throw new HostServiceError(
            `${options.serviceName} ended the progress stream of ${url} without a result`,
            {
              status: response.status,
              details: { service: options.serviceName, url },
            },
          );
        }
        const text = await response.text();
        counters.bytesReceived += Buffer.byteLength(text);
        try {
          return text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch (error) {
          throw new HostServiceError(
            `${options.serviceName} sent a malformed JSON body for ${request.method} ${url}`,
            {
              status: response.status,
              details: { service: options.serviceName, url, bodyStart: text.slice(0, 80) },
              cause: error,
            },
          );
        }
      } catch (error) {
        if (error instanceof KtrdrError) throw error;
        if (error instanceof HTTPError) {
          const text = await error.response.text().catch(() => '');
          counters.bytesReceived += Buffer.byteLength(text);
          throw errorFromResponse(
            site,
            error.response.status,
            error.response.statusText,
            text,
            error.response.headers.get('retry-after'),
          );
        }
        throw errorFromFailure(site, error, attemptTimeout, linked.signal);
      } finally {
        linked.dispose();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await agent.close();
    },
  };
}
