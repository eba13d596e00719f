import type { Clock } from './clock';
import type { PacingLedger } from './pacing-ledger';
import type { AdaptiveThrottleOptions } from './adaptive-throttle';

/**
 * How historical requests are paced (`--pacing`, `KTRDR_IB_PACING`):
 * - `practical` (the default) follows IB's documentation: the hard rules (15 s identical, 6 per 2 s
 *   per contract, 60 per 10 minutes) for bars of 30 seconds or less only; for 1 minute and up, a
 *   bounded number of requests in flight that adapts to how fast IB answers (see
 *   {@link AdaptiveThrottle});
 * - `strict` applies the hard rules to every bar size (ktrdr's behaviour before the policies; what some
 *   gateways and shared accounts need).
 */
export type PacingPolicy = 'strict' | 'practical';

/** Every pacing policy, for option parsing. */
export const PACING_POLICIES: readonly PacingPolicy[] = ['strict', 'practical'];

/** A {@link PacingPolicy}, or `off`: only IB's 50 open requests and the message spacing (tests). */
export type PacingProfile = PacingPolicy | 'off';

/** Bars this long or shorter are under IB's hard pacing rules whatever the policy. */
export const SMALL_BAR_MAX_SECONDS = 30;

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
  /** Default `practical` (see {@link PacingPolicy}); a ticket may name its own policy. */
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
  /** The adaptive throttle of the `practical` policy's larger bars. */
  throttle?: AdaptiveThrottleOptions;
  /** Time source (tests pass a fake clock). */
  clock?: Clock;
  /**
   * Pacing state shared with the other processes that use the same gateway (see
   * {@link createPacingLedger}): every grant under the hard rules is checked against their recent
   * sends and recorded for them, atomically. Default none (`false`): this scheduler paces its own
   * process only.
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
  /** Their bar length in seconds: decides, with the policy, whether the hard rules apply. */
  barSeconds?: number;
  /** Their policy. Default: the scheduler's. */
  policy?: PacingPolicy;
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
  /**
   * Bar length in seconds. Unknown (undefined) counts as a small bar: the hard rules apply, which
   * is always safe.
   */
  barSeconds?: number;
  /** This request's policy. Default: the scheduler's. */
  policy?: PacingPolicy;
}

/** How a granted request ended, for the adaptive throttle. */
export type PacingOutcome = 'answered' | 'timeout' | 'failed';

/** A granted send. Exactly one of `release` or `revoke` must be called. */
export interface PacingPermit {
  /**
   * The request actually left now (it may wait in the IB library's own rate limiter after the
   * grant): its stamp moves to now, so the windows count from when the gateway can first see it.
   */
  markSent(): void;
  /**
   * The request was sent and has ended: frees its open-request slot. `answered` feeds its answer
   * time to the adaptive throttle, `timeout` counts as a sign of overload; default `failed`
   * (neither).
   */
  release(outcome?: PacingOutcome): void;
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
  /** Requests in flight the adaptive throttle allows now (the `practical` policy's larger bars). */
  throttleWindow: number;
  /** Times the throttle backed off (slow answers, timeouts, pacing errors). */
  throttleBackoffs: number;
  /** The ledger shared with other processes, when there is one. */
  ledger?: string;
}

/**
 * Whether IB's hard rules apply to a request: always under `strict`, never under `off`, and under
 * `practical` for bars of 30 seconds or less (or of unknown length).
 */
export function isHardPaced(
  profile: PacingProfile,
  ticket: Pick<PacingTicket, 'barSeconds' | 'policy'>,
): boolean {
  if (profile === 'off') return false;
  const policy = ticket.policy ?? profile;
  if (policy === 'strict') return true;
  return ticket.barSeconds === undefined || ticket.barSeconds <= SMALL_BAR_MAX_SECONDS;
}
