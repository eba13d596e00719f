import { type ErrorCode, toKtrdrError } from '../errors/index';
import type { Interceptor } from '../transport/interceptor';
import { LatencyRecorder } from './latency-recorder';

/**
 * Call statistics of one service client, kept by its {@link CallStats.interceptor}: calls, errors by
 * code and latency, measured around the whole call (retries and waits included).
 * @internal
 */
export class CallStats {
  private readonly latency = new LatencyRecorder();
  calls = 0;
  maxLatency = 0;
  readonly errorsByCode: Partial<Record<ErrorCode, number>> = {};

  constructor(private readonly serviceName: string) {}

  /** Counts each call and normalises its failure to a `KtrdrError` naming the service. */
  readonly interceptor: Interceptor = (next) => async (request, options) => {
    const started = performance.now();
    this.calls++;
    try {
      return await next(request, options);
    } catch (error) {
      const ktrdrError = toKtrdrError(error, `${this.serviceName} call failed`);
      this.errorsByCode[ktrdrError.code] = (this.errorsByCode[ktrdrError.code] ?? 0) + 1;
      throw ktrdrError;
    } finally {
      const elapsed = performance.now() - started;
      this.latency.record(elapsed);
      if (elapsed > this.maxLatency) this.maxLatency = elapsed;
    }
  };

  /** Errors of every code together. */
  errors(): number {
    return Object.values(this.errorsByCode).reduce((sum, n) => sum + (n ?? 0), 0);
  }

  /** Latency percentile `p` (0-100) of the recent window, ms. */
  percentile(p: number): number {
    return this.latency.percentile(p);
  }
}
