/** Options of {@link AdaptiveThrottle}. */
export interface AdaptiveThrottleOptions {
  /** Requests in flight allowed at first. Default 4. */
  initialWindow?: number;
  /** Never more in flight than this. Default 50, IB's limit of open historical requests (also the ceiling). */
  maxWindow?: number;
  /**
   * An answer slower than `slowFactor` times the fastest recent answer is a sign that IB is
   * slowing this client down: the window shrinks. Default 3.
   */
  slowFactor?: number;
  /** Multiplicative decrease on a slow answer or a timeout. Default 0.7. */
  slowDecrease?: number;
  /** Multiplicative decrease on a pacing error (a firmer signal). Default 0.5. */
  errorDecrease?: number;
}

/** IB's limit of historical requests open at once: the window never exceeds it. */
const IB_MAX_OPEN = 50;
/** How many recent answers the latency baseline (their fastest) is taken from. */
const BASELINE_SAMPLES = 32;

/**
 * The `practical` pacing policy's limit on requests in flight for bars of 1 minute and up, where IB
 * has no hard rules and instead slows its answers down to balance load. AIMD, as TCP's congestion
 * control: the window grows by one per answer until the first sign of overload (slow start), then
 * by one per window of answers; a slow answer or a timeout multiplies it by 0.7, a pacing error by
 * 0.5, at most once per window of answers so one burst of slow replies counts once.
 *
 * "Slow" is relative to the fastest of the recent answers, so the throttle needs no knowledge of
 * the gateway's base latency: it backs off when IB's soft slowdown (answers growing slower with
 * the request rate) starts to cost more than the extra concurrency gains.
 */
export class AdaptiveThrottle {
  private windowSize: number;
  private threshold: number;
  private readonly max: number;
  private readonly slowFactor: number;
  private readonly slowDecrease: number;
  private readonly errorDecrease: number;
  private readonly recent: number[] = [];
  /** Answers still to come before another decrease may apply. */
  private holdOff = 0;
  private decreases = 0;

  constructor(options: AdaptiveThrottleOptions = {}) {
    this.max = Math.max(1, Math.min(IB_MAX_OPEN, Math.floor(options.maxWindow ?? IB_MAX_OPEN)));
    this.windowSize = Math.max(1, Math.min(this.max, options.initialWindow ?? 4));
    this.threshold = this.max;
    this.slowFactor = options.slowFactor ?? 3;
    this.slowDecrease = options.slowDecrease ?? 0.7;
    this.errorDecrease = options.errorDecrease ?? 0.5;
  }

  /** Requests that may be in flight now (at least 1). */
  get limit(): number {
    return Math.max(1, Math.floor(this.windowSize));
  }

  /** Times the window was decreased. */
  get backoffs(): number {
    return this.decreases;
  }

  /** A request was answered after `latencyMs`. */
  onAnswer(latencyMs: number): void {
    const fastest = this.recent.length === 0 ? latencyMs : Math.min(...this.recent);
    this.recent.push(latencyMs);
    if (this.recent.length > BASELINE_SAMPLES) this.recent.shift();
    if (this.holdOff > 0) this.holdOff -= 1;
    if (this.recent.length > 1 && latencyMs > fastest * this.slowFactor) {
      this.decrease(this.slowDecrease);
      return;
    }
    const step = this.windowSize < this.threshold ? 1 : 1 / this.windowSize;
    this.windowSize = Math.min(this.max, this.windowSize + step);
  }

  /** A request timed out: IB may be overloaded. */
  onTimeout(): void {
    this.decrease(this.slowDecrease);
  }

  /** IB answered a pacing violation. */
  onPacingError(): void {
    this.decrease(this.errorDecrease);
  }

  private decrease(factor: number): void {
    if (this.holdOff > 0) return;
    this.windowSize = Math.max(1, this.windowSize * factor);
    this.threshold = this.windowSize;
    this.holdOff = this.limit;
    this.decreases += 1;
  }
}
