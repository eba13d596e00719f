import { ValidationError } from '@ktrdr/core';
import { AdaptiveThrottle } from './adaptive-throttle';
import { abortError } from './backoff';
import { type Clock, systemClock } from './clock';
import type { LedgerRecord } from './pacing-ledger';
import { LedgerBridge } from './pacing-ledger-bridge';
import { planCompletionMs } from './pacing-plan';
import { type PacedSend, type RealWindows, type RuleHold, ruleTime } from './pacing-rules';
import {
  IB_HISTORICAL_PACING_LIMITS,
  type PacingLimits,
  type PacingOutcome,
  type PacingPermit,
  type PacingPlanQuery,
  type PacingProfile,
  type PacingSchedulerOptions,
  type PacingStats,
  type PacingTicket,
  isHardPaced,
} from './pacing-types';

export {
  IB_HISTORICAL_PACING_LIMITS,
  PACING_POLICIES,
  SMALL_BAR_MAX_SECONDS,
  isHardPaced,
  type PacingLimits,
  type PacingOutcome,
  type PacingPermit,
  type PacingPlanQuery,
  type PacingPolicy,
  type PacingProfile,
  type PacingSchedulerOptions,
  type PacingStats,
  type PacingTicket,
} from './pacing-types';

type ResolvedTicket = Required<Pick<PacingTicket, 'identity' | 'bucket' | 'weight'>> & {
  /** Under IB's hard rules. */
  hard: boolean;
  /** Under the adaptive throttle (the practical policy's larger bars). */
  throttled: boolean;
};

interface Waiter {
  readonly ticket: ResolvedTicket;
  readonly enqueuedAt: number;
  readonly grant: (permit: PacingPermit) => void;
  readonly fail: (error: Error) => void;
}

/** How soon to try again when another process holds the ledger's lock. */
const LEDGER_RETRY_MS = 5;
/** A send that left this much later than granted is re-recorded in the ledger (less is in the margin). */
const LEDGER_SENT_SLACK_MS = 2;
/** Weight of the newest request in the average request time (an exponential moving average). */
const REQUEST_MS_SMOOTHING = 0.2;

/**
 * Paces historical requests before they are sent, so a bulk load causes no pacing violation while
 * keeping as many requests in flight as IB allows. Requests under the hard rules (every request
 * with the `strict` policy; bars of 30 s or less with `practical`) obey IB's documented rules:
 * - no identical request within 15 s;
 * - at most 5 requests per contract + exchange + tick type in any 2 s;
 * - at most 60 requests (BID_ASK counts twice) in any 10 minutes.
 * Requests of larger bars under `practical` have no hard rules at IB; an {@link AdaptiveThrottle}
 * bounds how many are in flight instead. Every request counts towards IB's 50 open requests.
 *
 * Waiting requests are granted in arrival order, except that a request held back only by its own
 * contract's or identity's rule (or by the throttle) lets later requests go first (no head-of-line
 * blocking); a request held back by a shared rule holds everything behind it, so none starves.
 *
 * With a {@link PacingLedger}, the hard-paced sends of every other process using the gateway
 * count too: each decision reads the ledger and records its grants under one cross-process lock.
 */
export class PacingScheduler {
  private readonly profile: PacingProfile;
  private readonly timeScale: number;
  private readonly limits: PacingLimits;
  private readonly clock: Clock;
  private readonly marginRatio: number;
  private readonly marginMs: number;
  private readonly minIntervalMs: number;
  private readonly throttle: AdaptiveThrottle;
  private readonly queue: Waiter[] = [];
  /** Hard-paced sends inside the longest window, in grant order (`markSent` may reorder times). */
  private sends: PacedSend[] = [];
  /** Throttled (soft) sends not yet answered. */
  private softInFlight: PacedSend[] = [];
  /** Other processes' recent sends, from the ledger's last read (times on this scheduler's clock). */
  private foreign: PacedSend[] = [];
  private readonly ledger: LedgerBridge | undefined;
  /** Average time from send to release, for estimates. */
  private requestMs: number | undefined;
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
    this.profile = options.profile ?? 'practical';
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
    this.throttle = new AdaptiveThrottle({ maxWindow: this.limits.maxOpenRequests, ...options.throttle });
    this.ledger =
      options.ledger === false || options.ledger === undefined ? undefined : new LedgerBridge(options.ledger);
  }

  /** A snapshot of the counters. */
  get stats(): PacingStats {
    return {
      profile: this.profile,
      timeScale: this.timeScale,
      waiting: this.queue.length,
      open: this.open,
      ...this.counters,
      throttleWindow: this.throttle.limit,
      throttleBackoffs: this.throttle.backoffs,
      ...(this.ledger === undefined ? {} : { ledger: this.ledger.location }),
    };
  }

  /**
   * Waits until `ticket` may be sent under its policy, then grants it. Rejects with
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
        ticket: this.resolve(ticket),
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
   * retry and its neighbours back off, the throttle shrinks, and the violation is counted.
   */
  noteViolation(ticket: PacingTicket, pauseMs: number): void {
    this.counters.violations += 1;
    if (this.resolve(ticket).throttled) this.throttle.onPacingError();
    const until = this.clock.now() + pauseMs;
    this.pausedUntil.set(ticket.bucket, Math.max(until, this.pausedUntil.get(ticket.bucket) ?? 0));
    this.pump();
  }

  /** Counts a request re-sent after a violation. */
  noteRetry(): void {
    this.counters.retries += 1;
  }

  /** True once a request was answered: estimates then know how long one takes. */
  get hasMeasuredRequests(): boolean {
    return this.requestMs !== undefined;
  }

  /** Whether IB's hard rules apply to `ticket` under this scheduler's profile. */
  isHard(ticket: Pick<PacingTicket, 'barSeconds' | 'policy'>): boolean {
    return isHardPaced(this.profile, ticket);
  }

  /** The real-time length of an IB window after scaling and the safety margin. */
  realWindowMs(ibWindowMs: number): number {
    return (ibWindowMs / this.timeScale) * (1 + this.marginRatio) + this.marginMs;
  }

  /**
   * How long until `query.count` requests of one bucket are answered if sent as early as their
   * policy allows from now: the scheduler's plan (see `planCompletionMs`), not an extrapolation.
   * It counts what was already sent (other processes' sends too, with a ledger) and the requests
   * waiting ahead. Throttled requests plan with the throttle's current window. Milliseconds from
   * now on this scheduler's clock, so real milliseconds on a real gateway.
   */
  estimateCompletionMs(query: PacingPlanQuery): number {
    const now = this.clock.now();
    this.prune(now);
    const hard = this.isHard(query);
    const throttled = this.profile !== 'off' && !hard;
    const ceiling = throttled ? this.throttle.limit : this.limits.maxOpenRequests;
    return planCompletionMs(query, {
      now,
      sends: [...this.sends, ...this.foreign],
      inFlight: [...this.sends, ...this.softInFlight],
      ahead: this.queue.map((waiter) => waiter.ticket),
      lastGrantAt: this.lastGrantAt,
      minIntervalMs: this.minIntervalMs,
      limits: this.limits,
      windows: this.windows(),
      hard,
      concurrency: Math.max(1, Math.min(query.concurrency ?? Infinity, ceiling)),
      requestMs: Math.max(0, query.requestMs ?? this.requestMs ?? 0),
    });
  }

  /** Rejects every waiting request (the client is closing). */
  dispose(error: Error): void {
    const waiting = this.queue.splice(0);
    for (const waiter of waiting) waiter.fail(error);
    this.clearTimer();
  }

  private resolve(ticket: PacingTicket): ResolvedTicket {
    return {
      weight: ticket.weight ?? 1,
      bucket: ticket.bucket,
      // Ledger entries carry a hash of the identity: compare like with like.
      identity: this.ledger === undefined ? ticket.identity : this.ledger.identity(ticket.identity),
      hard: this.isHard(ticket),
      throttled: this.profile !== 'off' && !this.isHard(ticket),
    };
  }

  private windows(): RealWindows {
    return {
      identical: this.realWindowMs(this.limits.identicalWindowMs),
      bucket: this.realWindowMs(this.limits.bucketWindowMs),
      global: this.realWindowMs(this.limits.globalWindowMs),
    };
  }

  private pump(): void {
    this.clearTimer();
    const now = this.clock.now();
    this.prune(now);
    if (this.queue.length === 0) {
      this.flushLedger(now);
      return;
    }
    // Other processes' sends can only hold a hard-paced request back further: when this process's
    // own view lets none go now, the ledger need not be read (the timer wakes at the earliest).
    if (
      this.ledger === undefined ||
      !this.queue.some((waiter) => waiter.ticket.hard && this.earliest(waiter.ticket, now).at <= now)
    ) {
      this.admit(now);
      return;
    }
    let recorded: boolean;
    try {
      recorded = this.ledger.decide(now, this.longestWindow(), (foreign) => {
        this.foreign = foreign;
        return this.admit(now);
      });
    } catch (error) {
      // The ledger is unusable: fail loudly rather than pace blind to the other processes.
      for (const waiter of this.queue.splice(0)) waiter.fail(error as Error);
      return;
    }
    // Another process holds the lock for a moment: decide again right after.
    if (!recorded) this.setTimer(now + LEDGER_RETRY_MS, now);
  }

  /** Grants every waiter that may go now and sets the timer for the next; returns the new hard sends. */
  private admit(now: number): PacedSend[] {
    const granted: PacedSend[] = [];
    let wakeAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.queue.length;) {
      const waiter = this.queue[i] as Waiter;
      const { at, shared } = this.earliest(waiter.ticket, now);
      if (at <= now) {
        this.queue.splice(i, 1);
        const send = this.grant(waiter, now);
        if (waiter.ticket.hard) granted.push(send);
        // The grant changed the state (open count, spacing): re-evaluate from the start.
        i = 0;
        continue;
      }
      wakeAt = Math.min(wakeAt, at);
      if (shared) break;
      i += 1;
    }
    if (this.queue.length > 0 && Number.isFinite(wakeAt)) this.setTimer(wakeAt, now);
    return granted;
  }

  /**
   * The earliest real time `ticket` may be sent, and whether what holds it back is shared by every
   * request (open count, spacing, the 10-minute rule). `Infinity` means "when a request in flight
   * is released".
   */
  private earliest(ticket: ResolvedTicket, now: number): RuleHold {
    if (this.open >= this.limits.maxOpenRequests) return { at: Number.POSITIVE_INFINITY, shared: true };
    if (ticket.throttled && this.softInFlight.length >= this.throttle.limit) {
      return { at: Number.POSITIVE_INFINITY, shared: false };
    }
    // A pause after a violation IB reported applies even with our own rules off: IB's apply anyway.
    const paused = this.pausedUntil.get(ticket.bucket) ?? 0;
    const sends = this.foreign.length === 0 ? this.sends : [...this.sends, ...this.foreign];
    const rules = ruleTime(
      ticket,
      ticket.hard,
      now,
      sends,
      this.lastGrantAt,
      this.minIntervalMs,
      this.limits,
      this.windows(),
    );
    return paused > rules.at ? { at: paused, shared: false } : rules;
  }

  private grant(waiter: Waiter, now: number): PacedSend {
    const { hard } = waiter.ticket;
    const send: PacedSend = {
      time: now,
      weight: waiter.ticket.weight,
      identity: waiter.ticket.identity,
      bucket: waiter.ticket.bucket,
      ...(hard ? {} : { soft: true }),
      ...(this.ledger === undefined || !hard ? {} : { seq: this.ledger.nextSeq() }),
    };
    (hard ? this.sends : this.softInFlight).push(send);
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
      send.done = true;
      this.open -= 1;
      if (!hard) this.softInFlight.splice(this.softInFlight.indexOf(send), 1);
      return true;
    };
    waiter.grant({
      markSent: () => {
        if (ended) return;
        const at = this.clock.now();
        if (at <= send.time) return;
        const moved = at - send.time;
        send.time = at;
        // Other processes must count the window from the real send too, unless the move is well
        // inside the safety margin (the usual case: the write follows the grant at once).
        if (send.seq !== undefined && moved > LEDGER_SENT_SLACK_MS) {
          this.recordLater({
            kind: 'sent',
            seq: send.seq,
            at: at + (this.ledger as LedgerBridge).offset(at),
          });
        }
      },
      release: (outcome: PacingOutcome = 'failed') => {
        if (!end()) return;
        const took = this.clock.now() - send.time;
        this.requestMs =
          this.requestMs === undefined
            ? took
            : this.requestMs * (1 - REQUEST_MS_SMOOTHING) + took * REQUEST_MS_SMOOTHING;
        if (waiter.ticket.throttled && outcome === 'answered') this.throttle.onAnswer(took);
        if (waiter.ticket.throttled && outcome === 'timeout') this.throttle.onTimeout();
        this.pump();
      },
      revoke: () => {
        if (!end()) return;
        const index = this.sends.indexOf(send);
        if (index >= 0) this.sends.splice(index, 1);
        this.counters.granted -= 1;
        if (send.seq !== undefined) this.recordLater({ kind: 'revoke', seq: send.seq });
        this.pump();
      },
    });
    return send;
  }

  /** Queues a ledger record and writes it now if the lock is free (else with the next decision). */
  private recordLater(record: LedgerRecord): void {
    this.flushLedger(this.clock.now(), record);
  }

  private flushLedger(now: number, record?: LedgerRecord): void {
    const pending = this.ledger?.flush(this.longestWindow(), record) ?? false;
    if (pending && this.timer === undefined) this.setTimer(now + LEDGER_RETRY_MS, now);
  }

  private longestWindow(): number {
    const windows = this.windows();
    return Math.max(windows.global, windows.identical, windows.bucket);
  }

  private prune(now: number): void {
    const longest = this.longestWindow();
    this.sends = this.sends.filter((send) => send.time > now - longest);
    this.foreign = this.foreign.filter((send) => send.time > now - longest);
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
