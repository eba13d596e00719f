import { ValidationError } from '@ktrdr/core';
import { abortError } from './backoff';
import { type Clock, systemClock } from './clock';

/** `strict` enforces IB's historical-data pacing rules; `off` only caps open requests and message rate. */
export type PacingProfile = 'strict' | 'off';

/** IB's historical-data pacing rules, in IB (unscaled) milliseconds. */
export interface PacingLimits {
  /** No identical request within this window (15 s). */
  identicalWindowMs: number;
  /** Window of the per contract+exchange+tick-type rule (2 s). */
  bucketWindowMs: number;
  /** Requests allowed per contract+exchange+tick type in that window (5; the 6th is a violation). */
  bucketMaxRequests: number;
  /** Window of the global rule (10 minutes). */
  globalWindowMs: number;
  /** Request weight allowed in the global window (60; BID_ASK weighs 2). */
  globalMaxWeight: number;
  /** Historical requests open at once (50). */
  maxOpenRequests: number;
}

/** IB's documented limits (TWS API "Historical Data Limitations"). */
export const IB_HISTORICAL_PACING_LIMITS: Readonly<PacingLimits> = Object.freeze({
  identicalWindowMs: 15_000,
  bucketWindowMs: 2_000,
  bucketMaxRequests: 5,
  globalWindowMs: 600_000,
  globalMaxWeight: 60,
  maxOpenRequests: 50,
});

/** Options of {@link PacingScheduler}. */
export interface PacingSchedulerOptions {
  /** Default `strict`. */
  profile?: PacingProfile;
  /**
   * How much faster than real time the gateway counts (the simulator's `timeScale`): every window
   * is divided by it. Default 1 (a real gateway).
   */
  timeScale?: number;
  /**
   * Widening of every window, so clock skew, event-loop lateness and loopback latency never push
   * two sends closer together at the gateway than they were here. A window becomes
   * `window / timeScale * (1 + ratio) + ms`. Default `{ ratio: 0.02, ms: 20 }`.
   */
  safetyMargin?: { ratio?: number; ms?: number };
  /**
   * Minimum real time between two grants, in milliseconds (default 30). Keeps bursts under IB's
   * 50 messages/s and under `@stoqey/ib`'s own 40/s limiter: a request queued inside that limiter
   * would leave later than the scheduler believes, and could land inside a window it thinks clear.
   */
  minIntervalMs?: number;
  /** Overrides of {@link IB_HISTORICAL_PACING_LIMITS} (tests). */
  limits?: Partial<PacingLimits>;
  /** Time source (tests pass a fake clock). */
  clock?: Clock;
}

/** What the scheduler needs to know about one historical request. */
export interface PacingTicket {
  /** Everything that makes two requests "identical" to IB (contract, end, duration, bar size, what, RTH). */
  identity: string;
  /** The contract + exchange + tick type the 2-second rule counts per. */
  bucket: string;
  /** Weight in the 10-minute rule: 2 for BID_ASK, else 1 (the default). */
  weight?: number;
}

/** A granted send. Exactly one of `release` or `revoke` must be called. */
export interface PacingPermit {
  /**
   * The request actually left now (it may wait in the IB library's own rate limiter after the
   * grant): its stamp moves to now, so the windows count from when the gateway can first see it.
   */
  markSent(): void;
  /** The request was sent and has ended (answered, failed, timed out): frees its open-request slot. */
  release(): void;
  /** The request was never sent after all: forget the grant, as if it had not happened. */
  revoke(): void;
}

/** Counters of a {@link PacingScheduler}. */
export interface PacingStats {
  profile: PacingProfile;
  timeScale: number;
  /** Sends granted so far. */
  granted: number;
  /** Requests waiting for a grant now. */
  waiting: number;
  /** Requests granted and not yet released now. */
  open: number;
  /** Highest `open` seen: how much concurrency the rules allowed. */
  maxOpen: number;
  /** Pacing violations IB reported anyway (see {@link PacingScheduler.noteViolation}). */
  violations: number;
  /** Requests re-sent after a violation. */
  retries: number;
  /** Sum and maximum of the time requests waited for a grant, in milliseconds. */
  totalWaitMs: number;
  maxWaitMs: number;
}

interface Waiter {
  readonly ticket: Required<PacingTicket>;
  readonly enqueuedAt: number;
  readonly grant: (permit: PacingPermit) => void;
  readonly fail: (error: Error) => void;
}

interface Send {
  /** Grant time, moved to the actual write time by `markSent`. */
  time: number;
  readonly weight: number;
  readonly identity: string;
  readonly bucket: string;
}

/**
 * Enforces IB's historical-data pacing rules before a request is sent, so a bulk load causes no
 * pacing violation while keeping as many requests in flight as the rules allow:
 * - no identical request within 15 s;
 * - at most 5 requests per contract + exchange + tick type in any 2 s;
 * - at most 60 requests (BID_ASK counts twice) in any 10 minutes;
 * - at most 50 requests open at once.
 *
 * Waiting requests are granted in arrival order, except that a request held back only by its own
 * contract's or identity's rule lets later requests for other contracts go first (no head-of-line
 * blocking); a request held back by a shared rule holds everything behind it, so none starves.
 */
export class PacingScheduler {
  private readonly profile: PacingProfile;
  private readonly timeScale: number;
  private readonly limits: PacingLimits;
  private readonly clock: Clock;
  private readonly marginRatio: number;
  private readonly marginMs: number;
  private readonly minIntervalMs: number;
  private readonly queue: Waiter[] = [];
  /** Sends inside the longest window, in grant order (times almost sorted; `markSent` may reorder). */
  private sends: Send[] = [];
  private readonly pausedUntil = new Map<string, number>();
  private lastGrantAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private open = 0;
  private readonly counters = {
    granted: 0,
    maxOpen: 0,
    violations: 0,
    retries: 0,
    totalWaitMs: 0,
    maxWaitMs: 0,
  };

  constructor(options: PacingSchedulerOptions = {}) {
    this.profile = options.profile ?? 'strict';
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0) || !Number.isFinite(this.timeScale)) {
      throw new ValidationError(`Pacing timeScale must be a positive number, got ${options.timeScale}.`, {
        details: { field: 'timeScale', value: options.timeScale },
      });
    }
    this.limits = { ...IB_HISTORICAL_PACING_LIMITS, ...options.limits };
    this.clock = options.clock ?? systemClock;
    this.marginRatio = options.safetyMargin?.ratio ?? 0.02;
    this.marginMs = options.safetyMargin?.ms ?? 20;
    this.minIntervalMs = options.minIntervalMs ?? 30;
  }

  /** A snapshot of the counters. */
  get stats(): PacingStats {
    return {
      profile: this.profile,
      timeScale: this.timeScale,
      waiting: this.queue.length,
      open: this.open,
      ...this.counters,
    };
  }

  /**
   * Waits until `ticket` may be sent under the rules, then grants it. Rejects with
   * {@link CancelledError} as soon as `signal` aborts while waiting.
   */
  acquire(ticket: PacingTicket, signal?: AbortSignal): Promise<PacingPermit> {
    return new Promise<PacingPermit>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal, 'Waiting for an IB pacing slot'));
        return;
      }
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index < 0) return;
        this.queue.splice(index, 1);
        reject(abortError(signal, 'Waiting for an IB pacing slot'));
        // The aborted request may have been the head holding others back.
        this.pump();
      };
      const waiter: Waiter = {
        ticket: { weight: 1, ...ticket },
        enqueuedAt: this.clock.now(),
        grant: (permit) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(permit);
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /**
   * Records a pacing violation IB reported for `ticket` despite the rules (another client on the
   * same gateway, a stricter gateway): the bucket is paused for `pauseMs` real milliseconds so the
   * retry and its neighbours back off, and the violation is counted.
   */
  noteViolation(ticket: PacingTicket, pauseMs: number): void {
    this.counters.violations += 1;
    const until = this.clock.now() + pauseMs;
    this.pausedUntil.set(ticket.bucket, Math.max(until, this.pausedUntil.get(ticket.bucket) ?? 0));
    this.pump();
  }

  /** Counts a request re-sent after a violation. */
  noteRetry(): void {
    this.counters.retries += 1;
  }

  /** The real-time length of an IB window after scaling and the safety margin. */
  realWindowMs(ibWindowMs: number): number {
    return (ibWindowMs / this.timeScale) * (1 + this.marginRatio) + this.marginMs;
  }

  /** Rejects every waiting request (the client is closing). */
  dispose(error: Error): void {
    const waiting = this.queue.splice(0);
    for (const waiter of waiting) waiter.fail(error);
    this.clearTimer();
  }

  private pump(): void {
    this.clearTimer();
    const now = this.clock.now();
    this.prune(now);
    let wakeAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.queue.length;) {
      const waiter = this.queue[i] as Waiter;
      const { at, shared } = this.earliest(waiter.ticket, now);
      if (at <= now) {
        this.queue.splice(i, 1);
        this.grant(waiter, now);
        // The grant changed the state (open count, spacing): re-evaluate from the start.
        i = 0;
        continue;
      }
      wakeAt = Math.min(wakeAt, at);
      if (shared) break;
      i += 1;
    }
    if (this.queue.length > 0 && Number.isFinite(wakeAt)) this.setTimer(wakeAt, now);
  }

  /**
   * The earliest real time `ticket` may be sent, and whether what holds it back is shared by every
   * request (open count, spacing, the 10-minute rule) rather than its own bucket or identity.
   * `Infinity` means "when an open request is released".
   */
  private earliest(ticket: Required<PacingTicket>, now: number): { at: number; shared: boolean } {
    let at = now;
    let shared = false;
    const hold = (time: number, isShared: boolean): void => {
      if (time > at) {
        at = time;
        shared = isShared;
      }
    };
    if (this.open >= this.limits.maxOpenRequests) return { at: Number.POSITIVE_INFINITY, shared: true };
    hold(this.lastGrantAt + this.minIntervalMs, true);
    // A pause after a violation IB reported applies even with our own rules off: IB's apply anyway.
    hold(this.pausedUntil.get(ticket.bucket) ?? 0, false);
    if (this.profile === 'off') return { at, shared };

    const identicalWindow = this.realWindowMs(this.limits.identicalWindowMs);
    for (const send of this.sends) {
      if (send.identity === ticket.identity) hold(send.time + identicalWindow, false);
    }

    const bucketTimes = this.sends
      .filter((send) => send.bucket === ticket.bucket)
      .map((send) => send.time)
      .sort((a, b) => a - b);
    const bucketMax = this.limits.bucketMaxRequests;
    if (bucketTimes.length >= bucketMax) {
      // The send `bucketMax` back must have left the window before one more may go.
      hold(
        (bucketTimes[bucketTimes.length - bucketMax] as number) +
          this.realWindowMs(this.limits.bucketWindowMs),
        false,
      );
    }

    const globalWindow = this.realWindowMs(this.limits.globalWindowMs);
    const inWindow = this.sends
      .filter((send) => send.time > now - globalWindow)
      .sort((a, b) => a.time - b.time);
    const used = inWindow.reduce((sum, send) => sum + send.weight, 0);
    let excess = used + ticket.weight - this.limits.globalMaxWeight;
    for (const send of inWindow) {
      if (excess <= 0) break;
      excess -= send.weight;
      if (excess <= 0) hold(send.time + globalWindow, true);
    }
    return { at, shared };
  }

  private grant(waiter: Waiter, now: number): void {
    const send: Send = {
      time: now,
      weight: waiter.ticket.weight,
      identity: waiter.ticket.identity,
      bucket: waiter.ticket.bucket,
    };
    this.sends.push(send);
    this.lastGrantAt = now;
    this.open += 1;
    this.counters.granted += 1;
    this.counters.maxOpen = Math.max(this.counters.maxOpen, this.open);
    const waited = now - waiter.enqueuedAt;
    this.counters.totalWaitMs += waited;
    this.counters.maxWaitMs = Math.max(this.counters.maxWaitMs, waited);
    let ended = false;
    const end = (): boolean => {
      if (ended) return false;
      ended = true;
      this.open -= 1;
      return true;
    };
    waiter.grant({
      markSent: () => {
        if (ended) return;
        send.time = Math.max(send.time, this.clock.now());
      },
      release: () => {
        if (end()) this.pump();
      },
      revoke: () => {
        if (!end()) return;
        const index = this.sends.indexOf(send);
        if (index >= 0) this.sends.splice(index, 1);
        this.counters.granted -= 1;
        this.pump();
      },
    });
  }

  private prune(now: number): void {
    const longest = Math.max(
      this.realWindowMs(this.limits.globalWindowMs),
      this.realWindowMs(this.limits.identicalWindowMs),
      this.realWindowMs(this.limits.bucketWindowMs),
    );
    this.sends = this.sends.filter((send) => send.time > now - longest);
    for (const [bucket, until] of this.pausedUntil) if (until <= now) this.pausedUntil.delete(bucket);
  }

  private setTimer(at: number, now: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, at - now);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
