/**
 * Fault injection: connection-level faults (refuse, drop after N messages, split frames) and
 * scripted per-request faults (answer with an error, delay, never answer, drop the connection, drop
 * it halfway through the response, answer with garbage).
 */
import type { SimRequestInfo, SimRequestKind } from './request-info';

/** What a scripted fault does to the request it matches. */
export type ScriptedFaultAction =
  /** Answer with this error instead of the data (reqId -1 requests get it as an info). */
  | { readonly type: 'error'; readonly code: number; readonly message: string }
  /** Answer normally, `ms` later than the latency model says. */
  | { readonly type: 'delay'; readonly ms: number }
  /** Accept the request and never answer (a cancel still gets its 162 "query cancelled"). */
  | { readonly type: 'never-answer' }
  /** Close the TCP connection as soon as the request arrives. */
  | { readonly type: 'drop-connection' }
  /** Send the first half of the response's bytes, then close the connection. */
  | { readonly type: 'drop-mid-response' }
  /**
   * Send a well-framed message that is not one of the API's (an unknown message id and bytes that
   * are not text) instead of the response, and keep the connection open: a gateway that talks
   * nonsense. The request itself is never answered.
   */
  | { readonly type: 'garbage' };

/** Which requests a scripted fault applies to; every given field must match. */
export interface ScriptedFaultMatch {
  readonly kind?: SimRequestKind | readonly SimRequestKind[];
  /** Matches the contract symbol, local symbol, or `SYMBOL.CURRENCY` (e.g. `EUR.USD`), case-insensitive. */
  readonly symbol?: string;
  readonly reqId?: number;
  readonly clientId?: number;
  readonly barSize?: string;
  readonly whatToShow?: string;
}

/** A scripted fault rule. */
export interface ScriptedFault {
  /** Which requests it applies to: a field filter or a predicate. Omitted: every request. */
  readonly match?: ScriptedFaultMatch | ((request: SimRequestInfo) => boolean);
  readonly action: ScriptedFaultAction;
  /** Let this many matching requests through untouched first (default 0). */
  readonly skip?: number;
  /** Apply to this many matching requests, then expire (default: unlimited). */
  readonly times?: number;
}

/** Connection-level and scripted faults; every field can be changed at run time with `setFaults`. */
export interface IbSimulatorFaults {
  /** Refuse new TCP connections (the listener closes, so clients get ECONNREFUSED: error 502). */
  readonly refuseConnections?: boolean;
  /** Close each connection when its client sends its N-th message after START_API (not answered). */
  readonly dropAfterMessages?: number;
  /** Write every outgoing frame in small chunks on separate ticks (default chunks of 1-7 bytes). */
  readonly splitFrames?: boolean | { readonly maxChunkBytes?: number };
  /** Per-request fault rules, checked in order; the first applicable one wins. */
  readonly script?: readonly ScriptedFault[];
}

function matches(match: ScriptedFault['match'], request: SimRequestInfo): boolean {
  if (match === undefined) return true;
  if (typeof match === 'function') return match(request);
  if (match.kind !== undefined) {
    const kinds: readonly SimRequestKind[] = typeof match.kind === 'string' ? [match.kind] : match.kind;
    if (!kinds.includes(request.kind)) return false;
  }
  if (match.symbol !== undefined) {
    const wanted = match.symbol.toUpperCase();
    const candidates = [request.symbol, request.localSymbol, `${request.symbol}.${request.currency}`].map(
      (s) => s.toUpperCase(),
    );
    if (!candidates.includes(wanted)) return false;
  }
  if (match.reqId !== undefined && match.reqId !== request.reqId) return false;
  if (match.clientId !== undefined && match.clientId !== request.clientId) return false;
  if (match.barSize !== undefined && match.barSize !== request.barSize) return false;
  if (match.whatToShow !== undefined && match.whatToShow.toUpperCase() !== request.whatToShow.toUpperCase()) {
    return false;
  }
  return true;
}

interface RuleState {
  readonly fault: ScriptedFault;
  seen: number;
  applied: number;
}

/** The live list of scripted faults with their usage counters. */
export class FaultScript {
  private rules: RuleState[] = [];

  constructor(faults: readonly ScriptedFault[] = []) {
    for (const fault of faults) this.add(fault);
  }

  /** Appends a rule. */
  add(fault: ScriptedFault): void {
    this.rules.push({ fault, seen: 0, applied: 0 });
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** Number of rules still able to fire. */
  get activeRules(): number {
    return this.rules.filter((rule) => rule.applied < (rule.fault.times ?? Number.POSITIVE_INFINITY)).length;
  }

  /** The action for a request, consuming one use of the rule that supplies it. */
  take(request: SimRequestInfo): ScriptedFaultAction | undefined {
    for (const rule of this.rules) {
      if (rule.applied >= (rule.fault.times ?? Number.POSITIVE_INFINITY)) continue;
      if (!matches(rule.fault.match, request)) continue;
      rule.seen += 1;
      if (rule.seen <= (rule.fault.skip ?? 0)) continue;
      rule.applied += 1;
      return rule.fault.action;
    }
    return undefined;
  }
}
