import { type PacedSend, type RealWindows, ruleTime } from './pacing-rules';
import type { PacingLimits, PacingPlanQuery, PacingTicket } from './pacing-types';

/** How many 10-minute periods of requests a completion estimate plans exactly before extrapolating. */
const PLAN_EXACT_PERIODS = 3;

type PlanTicket = Required<Pick<PacingTicket, 'identity' | 'bucket' | 'weight'>> & { hard: boolean };

/** What a plan starts from: the scheduler's state now. */
export interface PlanState {
  now: number;
  /** Hard-paced sends in the longest window, this process's and (with a ledger) the others'. */
  sends: readonly PacedSend[];
  /** This process's sends not yet answered. */
  inFlight: readonly PacedSend[];
  /** Requests waiting for a grant, in order. */
  ahead: readonly PlanTicket[];
  lastGrantAt: number;
  minIntervalMs: number;
  limits: PacingLimits;
  windows: RealWindows;
  /** Whether the query's requests are under the hard rules. */
  hard: boolean;
  /** Requests of the load in flight at once: the caller's concurrency, the throttle and IB's 50 open. */
  concurrency: number;
  requestMs: number;
}

/**
 * How long until `query.count` requests of one bucket are answered if sent as early as the rules
 * allow from `state.now`: the rules replayed forward over what was already sent, the requests
 * waiting ahead and the rest of the load, keeping at most `state.concurrency` of the load in flight.
 * Under the hard rules the greedy schedule repeats every 10-minute period, so it is planned exactly
 * for a few periods and extrapolated by whole periods beyond.
 */
export function planCompletionMs(query: PacingPlanQuery, state: PlanState): number {
  if (query.count <= 0) return 0;
  const { now, requestMs, concurrency, hard } = state;
  const weight = query.weight ?? 1;
  const inFlight = state.inFlight.filter((send) => send.bucket === query.bucket && send.done !== true);
  const waitingOfLoad = state.ahead.filter((ticket) => ticket.bucket === query.bucket).length;
  const fresh = Math.max(0, query.count - inFlight.length - waitingOfLoad);
  const plan: PlanTicket[] = [...state.ahead];
  for (let i = 0; i < fresh; i++) plan.push({ identity: `plan#${i}`, bucket: query.bucket, weight, hard });

  let sends = [...state.sends];
  let lastGrantAt = state.lastGrantAt;
  // Finish times of the load's planned requests: the next may go once one of `concurrency` ends.
  const finishes = inFlight.map((send) => Math.max(now, send.time + requestMs)).sort((a, b) => a - b);
  let done = Math.max(now, ...finishes);
  const longest = Math.max(state.windows.global, state.windows.identical, state.windows.bucket);
  const period = Math.max(1, Math.floor(state.limits.globalMaxWeight / weight));
  const exactLimit = hard ? PLAN_EXACT_PERIODS * period : Number.POSITIVE_INFINITY;
  const loadFinishes: number[] = [];
  for (const ticket of plan) {
    const ofLoad = ticket.bucket === query.bucket;
    if (ofLoad && loadFinishes.length >= exactLimit) break;
    let at = now;
    if (ofLoad && finishes.length >= concurrency) {
      // Finishes stay sorted (grants never go back in time): the `concurrency`-th latest frees the slot.
      at = Math.max(at, finishes[finishes.length - concurrency] as number);
    }
    // As the scheduler would: wake when the binding rule clears, then check every rule again.
    const next = (from: number) =>
      ruleTime(
        ticket,
        ticket.hard,
        from,
        sends,
        lastGrantAt,
        state.minIntervalMs,
        state.limits,
        state.windows,
      ).at;
    for (let wake = next(at); wake > at; wake = next(at)) at = wake;
    if (ticket.hard) {
      sends = sends.filter((send) => send.time > at - longest);
      sends.push({ time: at, weight: ticket.weight, identity: ticket.identity, bucket: ticket.bucket });
    }
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
