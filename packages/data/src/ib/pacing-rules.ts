import type { PacingLimits, PacingTicket } from './pacing-types';

/** One send as the rules see it: when, how heavy, which identity and bucket. */
export interface PacedSend {
  /** Grant time, moved to the actual write time by `markSent`. */
  time: number;
  readonly weight: number;
  readonly identity: string;
  readonly bucket: string;
  /** Number of this send in the shared ledger. */
  readonly seq?: number;
  /** Answered (released): no longer in flight. */
  done?: boolean;
  /** Under the practical policy's adaptive throttle (a larger bar), not the hard rules. */
  readonly soft?: boolean;
}

/** The windows of the hard rules in real milliseconds (scaled, with the safety margin). */
export interface RealWindows {
  identical: number;
  bucket: number;
  global: number;
}

/** When a request may go, and whether what holds it back holds every request. */
export interface RuleHold {
  at: number;
  shared: boolean;
}

/**
 * The earliest time from `now` that message spacing and, when `hard`, IB's rules let `ticket` go
 * after `sends` (the hard-paced sends in the longest window), and whether the binding rule is
 * shared by every request (spacing, the 10-minute rule) rather than the ticket's own bucket or
 * identity.
 */
export function ruleTime(
  ticket: Required<Pick<PacingTicket, 'identity' | 'bucket' | 'weight'>>,
  hard: boolean,
  now: number,
  sends: readonly PacedSend[],
  lastGrantAt: number,
  minIntervalMs: number,
  limits: PacingLimits,
  windows: RealWindows,
): RuleHold {
  let at = now;
  let shared = false;
  const hold = (time: number, isShared: boolean): void => {
    if (time > at) {
      at = time;
      shared = isShared;
    }
  };
  hold(lastGrantAt + minIntervalMs, true);
  if (!hard) return { at, shared };
  for (const send of sends) {
    if (send.identity === ticket.identity) hold(send.time + windows.identical, false);
  }

  const bucketTimes = sends
    .filter((send) => send.bucket === ticket.bucket)
    .map((send) => send.time)
    .sort((a, b) => a - b);
  const bucketMax = limits.bucketMaxRequests;
  if (bucketTimes.length >= bucketMax) {
    // The send `bucketMax` back must have left the window before one more may go.
    hold((bucketTimes[bucketTimes.length - bucketMax] as number) + windows.bucket, false);
  }

  const inWindow = sends.filter((send) => send.time > now - windows.global).sort((a, b) => a.time - b.time);
  const used = inWindow.reduce((sum, send) => sum + send.weight, 0);
  let excess = used + ticket.weight - limits.globalMaxWeight;
  for (const send of inWindow) {
    if (excess <= 0) break;
    excess -= send.weight;
    if (excess <= 0) hold(send.time + windows.global, true);
  }
  return { at, shared };
}
