import type { ServiceRequest } from '../contract/implement-service';

/** Per-call options every transport honours. */
export interface CallOptions {
  /** Cancels the call; the serving side's work is aborted too. */
  signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds (the transport's default otherwise). */
  timeoutMs?: number;
  /** Total deadline across retries, in milliseconds. */
  deadlineMs?: number;
  /** Receives progress updates the handler reports while the call runs. */
  onProgress?: (progress: unknown) => void;
  /** The call is safe to retry. Defaults to true for GET. */
  idempotent?: boolean;
  /**
   * Most retries after the first attempt, for this call (the transport's policy otherwise). Set by
   * the one retry interceptor (`retryInterceptor`), which gives 0 to a call whose retries a
   * layer above owns, so that retries never multiply. Only the HTTP transport retries.
   */
  retries?: number;
  /** Extra request headers (set by interceptors such as bearer auth); only HTTP sends them. */
  headers?: Readonly<Record<string, string>>;
}

/** Byte and call counters a transport keeps. */
export interface TransportCounters {
  /** Request body bytes sent over the wire (0 in-process: nothing crosses a wire). */
  bytesSent: number;
  /** Response body bytes received over the wire. */
  bytesReceived: number;
  /** Attempts made, retries included. */
  attempts: number;
  /** Retries made after a failed attempt. */
  retries: number;
}

/**
 * The one contract every transport implements: HTTP, in-process, and the direct-IB transport of
 * `@ktrdr/data`. Signal, timeout and progress are call options, not afterthoughts.
 */
export interface Transport {
  /** `http`, `in-process`, `ib`, or a user's own. */
  readonly kind: string;
  /** The service's display name, for errors. */
  readonly serviceName: string;
  /** Where calls go: a base URL, or `in-process`. */
  readonly target: string;
  /** Sends one request and resolves with the decoded response body; rejects with a `KtrdrError`. */
  call(request: ServiceRequest, options?: CallOptions): Promise<unknown>;
  /** Counters so far. */
  counters(): TransportCounters;
  /** Releases connections; later calls fail with a `ServiceConnectionError`. */
  close(): Promise<void>;
}
