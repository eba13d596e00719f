import { ValidationError } from '@ktrdr/core';
import { abortError } from './backoff';
import { type Clock, systemClock } from './clock';
import { type LedgerRecord, type PacingLedger, ledgerIdentity } from './pacing-ledger';

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
  /**
   * Pacing state shared with the other processes that use the same gateway (see
   * {@link createPacingLedger}): every grant is checked against their recent sends and recorded
   * for them, atomically. Default none (`false`): this scheduler paces its own process only.
   */
  ledger?: PacingLedger | false;
}

/** What {@link PacingScheduler.estimateCompletionMs} plans for. */
export interface PacingPlanQuery {
  /** Requests of the load still to be answered (those in flight and waiting included). */
  count: number;
  /** Their pacing bucket (one contract + exchange + tick type, as a load's segments share). */
  bucket: string;
  /** Weight of each (2 for BID_ASK). Default 1. */
  weight?: number;
  /** How many of them the caller keeps in flight at once. Default: no limit beyond IB's 50 open. */
  concurrency?: number;
  /** Time from send to answer of one request. Default: the average this scheduler measured (0 before any). */
  requestMs?: number;
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
  /** The ledger shared with other processes, when there is one. */
  ledger?: string;
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
  /** Number of this send in the shared ledger. */
  readonly seq?: number;
  /** Answered (released): no longer in flight. */
  done?: boolean;
}

/** How soon to try again when another process holds the ledger's lock. */
const LEDGER_RETRY_MS = 5;
/** A send that left this much later than granted is re-recorded in the ledger (less is in the margin). */
const LEDGER_SENT_SLACK_MS = 2;
/** How many 10-minute periods of requests a completion estimate plans exactly before extrapolating. */
const PLAN_EXACT_PERIODS = 3;
/** Weight of the newest request in the average request time (an exponential moving average). */
const REQUEST_MS_SMOOTHING = 0.2;

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
 *
 * With a {@link PacingLedger}, the sends of every other process using the gateway count too: each
 * decision reads the ledger and records its grants under one cross-process lock.
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
  /** Other processes' recent sends, from the ledger's last read (times on this scheduler's clock). */
  private foreign: Send[] = [];
  private readonly ledger: PacingLedger | undefined;
  /** Ledger records not yet written (a later send time, a revoke) while its lock was busy. */
  private readonly ledgerBacklog: LedgerRecord[] = [];
  private ledgerSeq = 0;
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
    this.ledger = options.ledger === false ? undefined : options.ledger;
  }

  /** A snapshot of the counters. */
  get stats(): PacingStats {
    return {
      profile: this.profile,
      timeScale: this.timeScale,
      waiting: this.queue.length,
      open: this.open,
      ...this.counters,
      ...(this.ledger === undefined ? {} : { ledger: this.ledger.location }),
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
        // Ledger entries carry a hash of the identity: compare like with like.
        ticket: {
          weight: 1,
          ...ticket,
          identity: this.ledger === undefined ? ticket.identity : ledgerIdentity(ticket.identity),
        },
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

  /**
   * How long until `query.count` requests of one bucket are answered if sent as early as the rules
   * allow from now: the scheduler's plan, not an extrapolation. It replays the rules forward over
   * what was already sent (other processes' sends too, with a ledger), the requests waiting ahead,
   * and the rest of the load, keeping at most `concurrency` of the load in flight. Milliseconds
   * from now on this scheduler's clock, so real milliseconds on a real gateway.
   */
  estimateCompletionMs(query: PacingPlanQuery): number {
    if (query.count <= 0) return 0;
    const now = this.clock.now();
    this.prune(now);
    const requestMs = Math.max(0, query.requestMs ?? this.requestMs ?? 0);
    const weight = query.weight ?? 1;
    const concurrency = Math.max(1, Math.min(query.concurrency ?? Infinity, this.limits.maxOpenRequests));
    // Requests of the load already sent, and those already waiting here, are part of `count`.
    const inFlight = this.sends.filter((send) => send.bucket === query.bucket && send.done !== true);
    const sentOfLoad = inFlight.length;
    const ahead = this.queue.map((waiter) => waiter.ticket);
    const waitingOfLoad = ahead.filter((ticket) => ticket.bucket === query.bucket).length;
    const fresh = Math.max(0, query.count - sentOfLoad - waitingOfLoad);
    const plan: Array<Required<PacingTicket>> = [...ahead];
    for (let i = 0; i < fresh; i++) plan.push({ identity: `plan#${i}`, bucket: query.bucket, weight });

    let sends = [...this.sends, ...this.foreign];
    let lastGrantAt = this.lastGrantAt;
    // Finish times of the load's planned requests: the next may go once one of `concurrency` ends.
    const finishes = inFlight.map((send) => Math.max(now, send.time + requestMs)).sort((a, b) => a - b);
    let done = Math.max(now, ...finishes);
    const longest = this.longestWindow();
    // Beyond a few 10-minute windows the greedy schedule repeats itself every `period` requests
    // (shifted by the time those took): plan that far exactly, then extrapolate by whole periods.
    const period = Math.max(1, Math.floor(this.limits.globalMaxWeight / weight));
    const exactLimit = PLAN_EXACT_PERIODS * period;
    const loadFinishes: number[] = [];
    for (const ticket of plan) {
      const ofLoad = ticket.bucket === query.bucket;
      if (ofLoad && loadFinishes.length >= exactLimit) break;
      let at = now;
      if (ofLoad && finishes.length >= concurrency) {
        at = Math.max(at, finishes[finishes.length - concurrency] as number);
      }
      // As the scheduler would: wake when the binding rule clears, then check every rule again.
      for (let next = this.ruleTime(ticket, at, sends, lastGrantAt).at; next > at;) {
        at = next;
        next = this.ruleTime(ticket, at, sends, lastGrantAt).at;
      }
      sends = sends.filter((send) => send.time > at - longest);
      sends.push({ time: at, weight: ticket.weight, identity: ticket.identity, bucket: ticket.bucket });
      lastGrantAt = at;
      if (ofLoad) {
        finishes.push(at + requestMs);
        loadFinishes.push(at + requestMs);
        done = Math.max(done, at + requestMs);
      }
    }
    const left = fresh + waitingOfLoad - loadFinishes.length;
    if (left > 0) {
      const n = loadFinishes.length;
      const shift = (loadFinishes[n - 1] as number) - (loadFinishes[n - 1 - period] as number);
      const periods = Math.ceil(left / period);
      done = Math.max(done, (loadFinishes[n - 1 + left - periods * period] as number) + periods * shift);
    }
    return done - now;
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
    if (this.queue.length === 0) {
      this.flushLedger(now);
      return;
    }
    // Other processes' sends can only hold a request back further: when this process's own view
    // lets none go now, the ledger need not be read (the timer wakes at the earliest candidate).
    if (
      this.ledger === undefined ||
      !this.queue.some((waiter) => this.earliest(waiter.ticket, now).at <= now)
    ) {
      this.admit(now);
      return;
    }
    let recorded: boolean;
    try {
      recorded = this.ledger.transact(this.longestWindow(), (others) => {
        const offset = this.wallOffset(now);
        this.foreign = others.map((send) => ({ ...send, time: send.at - offset }));
        const granted = this.admit(now);
        return [
          ...this.ledgerBacklog.splice(0),
          ...granted.map((send): LedgerRecord => ({
            kind: 'send',
            seq: send.seq as number,
            at: send.time + offset,
            bucket: send.bucket,
            identity: send.identity,
            weight: send.weight,
          })),
        ];
      });
    } catch (error) {
      // The ledger is unusable: fail loudly rather than pace blind to the other processes.
      for (const waiter of this.queue.splice(0)) waiter.fail(error as Error);
      return;
    }
    // Another process holds the lock for a moment: decide again right after.
    if (!recorded) this.setTimer(now + LEDGER_RETRY_MS, now);
  }

  /** Grants every waiter the rules let go now, and sets the timer for the next; returns the new sends. */
  private admit(now: number): Send[] {
    const granted: Send[] = [];
    let wakeAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.queue.length;) {
      const waiter = this.queue[i] as Waiter;
      const { at, shared } = this.earliest(waiter.ticket, now);
      if (at <= now) {
        this.queue.splice(i, 1);
        granted.push(this.grant(waiter, now));
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
   * request (open count, spacing, the 10-minute rule) rather than its own bucket or identity.
   * `Infinity` means "when an open request is released".
   */
  private earliest(ticket: Required<PacingTicket>, now: number): { at: number; shared: boolean } {
    if (this.open >= this.limits.maxOpenRequests) return { at: Number.POSITIVE_INFINITY, shared: true };
    // A pause after a violation IB reported applies even with our own rules off: IB's apply anyway.
    const paused = this.pausedUntil.get(ticket.bucket) ?? 0;
    const sends = this.foreign.length === 0 ? this.sends : [...this.sends, ...this.foreign];
    const rules = this.ruleTime(ticket, now, sends, this.lastGrantAt);
    return paused > rules.at ? { at: paused, shared: false } : rules;
  }

  /**
   * The earliest time from `now` that spacing and IB's rules let `ticket` go after `sends`, and
   * whether the binding rule is shared by every request (spacing, the 10-minute rule).
   */
  private ruleTime(
    ticket: Required<PacingTicket>,
    now: number,
    sends: readonly Send[],
    lastGrantAt: number,
  ): { at: number; shared: boolean } {
    let at = now;
    let shared = false;
    const hold = (time: number, isShared: boolean): void => {
      if (time > at) {
        at = time;
        shared = isShared;
      }
    };
    hold(lastGrantAt + this.minIntervalMs, true);
    if (this.profile === 'strict') {
      const identicalWindow = this.realWindowMs(this.limits.identicalWindowMs);
      for (const send of sends) {
        if (send.identity === ticket.identity) hold(send.time + identicalWindow, false);
      }

      const bucketTimes = sends
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
      const inWindow = sends.filter((send) => send.time > now - globalWindow).sort((a, b) => a.time - b.time);
      const used = inWindow.reduce((sum, send) => sum + send.weight, 0);
      let excess = used + ticket.weight - this.limits.globalMaxWeight;
      for (const send of inWindow) {
        if (excess <= 0) break;
        excess -= send.weight;
        if (excess <= 0) hold(send.time + globalWindow, true);
      }
    }
    return { at, shared };
  }

  private grant(waiter: Waiter, now: number): Send {
    const send: Send = {
      time: now,
      weight: waiter.ticket.weight,
      identity: waiter.ticket.identity,
      bucket: waiter.ticket.bucket,
      ...(this.ledger === undefined ? {} : { seq: ++this.ledgerSeq }),
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
      send.done = true;
      this.open -= 1;
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
          this.recordLater({ kind: 'sent', seq: send.seq, at: at + this.wallOffset(at) });
        }
      },
      release: () => {
        if (!end()) return;
        const took = this.clock.now() - send.time;
        this.requestMs =
          this.requestMs === undefined
            ? took
            : this.requestMs * (1 - REQUEST_MS_SMOOTHING) + took * REQUEST_MS_SMOOTHING;
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
    this.ledgerBacklog.push(record);
    this.flushLedger(this.clock.now());
  }

  private flushLedger(now: number): void {
    if (this.ledger === undefined || this.ledgerBacklog.length === 0) return;
    try {
      this.ledger.transact(this.longestWindow(), () => this.ledgerBacklog.splice(0));
    } catch {
      // Kept in the backlog: the next decision writes it, or fails its waiters with the reason.
    }
    if (this.ledgerBacklog.length > 0 && this.timer === undefined) this.setTimer(now + LEDGER_RETRY_MS, now);
  }

  /** Wall-clock epoch ms minus this scheduler's clock, for the ledger's shared times. */
  private wallOffset(now: number): number {
    return (this.ledger as PacingLedger).wallNow() - now;
  }

  private longestWindow(): number {
    return Math.max(
      this.realWindowMs(this.limits.globalWindowMs),
      this.realWindowMs(this.limits.identicalWindowMs),
      this.realWindowMs(this.limits.bucketWindowMs),
    );
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
