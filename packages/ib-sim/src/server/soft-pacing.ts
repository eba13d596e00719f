/**
 * IB's soft pacing of larger bars. IB documents its hard pacing rules for bars of 30 seconds or
 * less and says that for larger bars it "throttles softly": answers slow down as the load grows,
 * instead of refusing requests. IB publishes no formula, so this model is an assumption, chosen to
 * behave qualitatively like a gateway: one request at a time is answered at the base latency plus
 * the time to scan its bars; many requests at once get slower and slower answers, so throughput
 * grows with concurrency at first and then less and less (a client gains nothing by flooding).
 *
 * Extra latency of a request (milliseconds of simulated time, divided by the time scale):
 *   perBarMs * bars + perRequestMs * max(0, recentRequests - freeRequests)
 * where `bars` is the duration's nominal length over the bar size (calendar time: what the gateway
 * has to scan, an upper bound of the bars served) and `recentRequests` counts the soft-paced
 * requests received in the trailing `windowMs`, this one included.
 */

/** Parameters of the soft slowdown (every one an assumption; see the module comment). */
export interface SoftPacingModel {
  /** Trailing window the request rate is counted in, IB milliseconds (divided by the time scale). Default 10 000. */
  readonly windowMs: number;
  /** Requests in the window that cost nothing extra. Default 10. */
  readonly freeRequests: number;
  /** Extra latency per request in the window beyond the free ones. Default 150 ms. */
  readonly perRequestMs: number;
  /** Extra latency per nominal bar of the request. Default 0.02 ms (5 D of 1-minute bars: 144 ms). */
  readonly perBarMs: number;
}

/** The default model. */
export const DEFAULT_SOFT_PACING: Readonly<SoftPacingModel> = Object.freeze({
  windowMs: 10_000,
  freeRequests: 10,
  perRequestMs: 150,
  perBarMs: 0.02,
});

/** Counts soft-paced requests and prices each one's extra latency. */
export class SoftPacing {
  private arrivals: number[] = [];

  constructor(
    private readonly model: SoftPacingModel,
    private readonly timeScale: number,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  /** Records a request of `nominalBars` bars arriving now; returns its extra latency in real ms. */
  admit(nominalBars: number): number {
    const now = this.monotonicNow();
    const window = this.model.windowMs / this.timeScale;
    this.arrivals = this.arrivals.filter((at) => now - at < window);
    this.arrivals.push(now);
    const excess = Math.max(0, this.arrivals.length - this.model.freeRequests);
    return (this.model.perBarMs * nominalBars + this.model.perRequestMs * excess) / this.timeScale;
  }

  /** Forgets the recent requests. */
  reset(): void {
    this.arrivals = [];
  }
}
