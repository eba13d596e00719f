import { createServiceClient, type ServiceClient } from '../contract/client';
import type { ServiceContract } from '../contract/define-service';
import type { ErrorCode } from '../errors/index';
import { type Interceptor, withInterceptors } from '../transport/interceptor';
import { type TransportChoice, selectTransport } from '../transport/select-transport';
import type { CallOptions, Transport } from '../transport/transport';
import { CallStats } from './call-stats';

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
 * The base of every adapter that reaches an external operation (IB data, training). It owns one
 * transport (one persistent client) for its whole life, chosen by the one transport selector
 * ({@link selectTransport}: explicit, or from the configuration plus a token), with the adapter's
 * interceptors around it and its call statistics outermost. Subclasses expose typed methods over a
 * client from {@link AsyncHostService.clientFor}.
 */
export abstract class AsyncHostService implements AsyncDisposable {
  /** The transport every call of this service goes through (the adapter's interceptors included). */
  readonly transport: Transport;
  private readonly callStats: CallStats;
  private readonly measured: Transport;
  private closing: Promise<void> | undefined;

  /**
   * @param serviceName Display name, e.g. "IB host service".
   * @param choice How to reach the service (see {@link TransportChoice}).
   * @param interceptors Around every call, first outermost, inside the statistics (e.g. the retry policy).
   */
  protected constructor(
    readonly serviceName: string,
    choice: TransportChoice,
    interceptors: readonly Interceptor[] = [],
  ) {
    this.transport = selectTransport(serviceName, choice, interceptors);
    this.callStats = new CallStats(serviceName);
    const measured = withInterceptors(this.transport, [this.callStats.interceptor]);
    this.measured = { ...measured, serviceName, close: () => this.close() };
  }

  /** A typed client for `contract` over this service's transport, counted in {@link stats}. */
  protected clientFor<C extends ServiceContract>(contract: C): ServiceClient<C> {
    return createServiceClient(contract, this.measured);
  }

  /** Checks the service is reachable and healthy. */
  abstract healthCheck(options?: CallOptions): Promise<HealthStatus>;

  /** Calls, errors by code, latency percentiles and bytes so far. */
  stats(): HostServiceStats {
    const counters = this.transport.counters();
    const stats = this.callStats;
    return {
      service: this.serviceName,
      transport: this.transport.kind,
      target: this.transport.target,
      calls: stats.calls,
      errors: stats.errors(),
      errorsByCode: { ...stats.errorsByCode },
      latencyMs: {
        p50: stats.percentile(50),
        p90: stats.percentile(90),
        p99: stats.percentile(99),
        max: stats.maxLatency,
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
