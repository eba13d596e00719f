import { createServiceClient, type ServiceClient } from '../contract/client';
import type { ServiceContract } from '../contract/define-service';
import { type ErrorCode, ServiceConfigurationError, toKtrdrError } from '../errors/index';
import { createHttpTransport } from '../transport/http-transport';
import type { CallOptions, Transport } from '../transport/transport';
import { LatencyRecorder } from './latency-recorder';

/** Health answer every host service gives. */
export interface HealthStatus {
  healthy: boolean;
  service: string;
  /** `http`, `in-process`, `ib`... */
  mode: string;
  [key: string]: unknown;
}

/** Call statistics of one service client: real numbers, measured. */
export interface HostServiceStats {
  service: string;
  transport: string;
  target: string;
  calls: number;
  errors: number;
  errorsByCode: Partial<Record<ErrorCode, number>>;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  bytesSent: number;
  bytesReceived: number;
  attempts: number;
  retries: number;
}

/**
 * How to construct an {@link AsyncHostService}: an explicit transport, or the seed's switch between
 * a host service over HTTP and an in-process fallback.
 */
export type AsyncHostServiceOptions =
  | { transport: Transport }
  | {
      useHostService: boolean;
      /** Required when `useHostService` is true. */
      hostServiceUrl?: string;
      /** Environment variable that set the URL, named in connection errors. */
      urlVariable?: string;
      /** Per-attempt timeout for HTTP calls, ms. */
      timeoutMs?: number;
      /** Bearer token for the host service. */
      token?: string;
      /** Builds the in-process transport when `useHostService` is false. */
      inProcess: () => Transport;
    };

/**
 * The base of every adapter that reaches an external operation (IB data, training). It owns one
 * transport (one persistent client) for its whole life, counts every call, and closes cleanly.
 * Subclasses expose typed methods built on {@link AsyncHostService.callHostServicePost},
 * {@link AsyncHostService.callHostServiceGet} or a typed client from {@link AsyncHostService.clientFor}.
 */
export abstract class AsyncHostService implements AsyncDisposable {
  /** The transport every call of this service goes through. */
  readonly transport: Transport;
  private readonly latency = new LatencyRecorder();
  private calls = 0;
  private readonly errorsByCode: Partial<Record<ErrorCode, number>> = {};
  private maxLatency = 0;
  private closing: Promise<void> | undefined;

  protected constructor(
    /** Display name, e.g. "IB host service". */
    readonly serviceName: string,
    options: AsyncHostServiceOptions,
  ) {
    this.transport = AsyncHostService.transportFrom(serviceName, options);
  }

  private static transportFrom(serviceName: string, options: AsyncHostServiceOptions): Transport {
    if ('transport' in options) return options.transport;
    if (!options.useHostService) return options.inProcess();
    if (options.hostServiceUrl === undefined) {
      throw new ServiceConfigurationError(
        `${serviceName}: useHostService is true but no hostServiceUrl was given`,
        {
          details: { variable: options.urlVariable ?? 'hostServiceUrl' },
        },
      );
    }
    return createHttpTransport({
      baseUrl: options.hostServiceUrl,
      serviceName,
      urlVariable: options.urlVariable,
      timeoutMs: options.timeoutMs,
      token: options.token,
    });
  }

  /** A transport that records every call in this service's statistics. */
  private readonly measured: Transport = {
    kind: '',
    serviceName: '',
    target: '',
    counters: () => this.transport.counters(),
    close: () => this.close(),
    call: (request, options) => this.measure(() => this.transport.call(request, options)),
  };

  private async measure<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.calls++;
    try {
      return await work();
    } catch (error) {
      const ktrdrError = toKtrdrError(error, `${this.serviceName} call failed`);
      this.errorsByCode[ktrdrError.code] = (this.errorsByCode[ktrdrError.code] ?? 0) + 1;
      throw ktrdrError;
    } finally {
      const elapsed = performance.now() - started;
      this.latency.record(elapsed);
      if (elapsed > this.maxLatency) this.maxLatency = elapsed;
    }
  }

  /** POSTs `data` as JSON to `endpoint` (e.g. `/data/historical`) and resolves with the response body. */
  protected callHostServicePost<T = unknown>(
    endpoint: string,
    data: unknown,
    options?: CallOptions,
  ): Promise<T> {
    return this.measure(() =>
      this.transport.call({ method: 'POST', path: endpoint, body: data }, options),
    ) as Promise<T>;
  }

  /** GETs `endpoint` with `params` as query string and resolves with the response body. */
  protected callHostServiceGet<T = unknown>(
    endpoint: string,
    params: Record<string, string | number | boolean | undefined> = {},
    options?: CallOptions,
  ): Promise<T> {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query[key] = String(value);
    return this.measure(() =>
      this.transport.call({ method: 'GET', path: endpoint, query }, options),
    ) as Promise<T>;
  }

  /** A typed client for `contract` over this service's transport, counted in {@link stats}. */
  protected clientFor<C extends ServiceContract>(contract: C): ServiceClient<C> {
    const measured: Transport = {
      ...this.measured,
      kind: this.transport.kind,
      serviceName: this.serviceName,
      target: this.transport.target,
    };
    return createServiceClient(contract, measured);
  }

  /** Checks the service is reachable and healthy. */
  abstract healthCheck(options?: CallOptions): Promise<HealthStatus>;

  /** Calls, errors by code, latency percentiles and bytes so far. */
  stats(): HostServiceStats {
    const counters = this.transport.counters();
    const errors = Object.values(this.errorsByCode).reduce((sum, n) => sum + (n ?? 0), 0);
    return {
      service: this.serviceName,
      transport: this.transport.kind,
      target: this.transport.target,
      calls: this.calls,
      errors,
      errorsByCode: { ...this.errorsByCode },
      latencyMs: {
        p50: this.latency.percentile(50),
        p90: this.latency.percentile(90),
        p99: this.latency.percentile(99),
        max: this.maxLatency,
      },
      ...counters,
    };
  }

  /** Closes the transport (connections, sockets). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.transport.close();
    return this.closing;
  }

  /** `await using service = ...` closes it at scope end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
