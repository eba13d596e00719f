/**
 * IB's historical-data pacing rules, enforced with 162 "pacing violation":
 * 1. an identical request within 15 s;
 * 2. six or more requests for the same contract, exchange and tick type within 2 s;
 * 3. more than 60 requests in any 10-minute window (BID_ASK counts twice);
 * 4. more than 50 requests open at once.
 * IB documents rules 1-3 for bars of 30 s or less and throttles larger bars more softly: the
 * `practical` mode applies them to small bars only, `strict` to every bar size. Rule 4 applies in both.
 * Windows run on a monotonic clock divided by `timeScale`, so tests can pass the 10-minute window in
 * seconds. Rejected requests do not count towards the windows, so a client that backs off recovers.
 */

/** Pacing mode; `off` disables every rule. */
export type PacingMode = 'strict' | 'practical' | 'off';

/** Which rule a request broke. */
export type PacingRule = 'identical-request' | 'same-contract-burst' | 'rate-limit' | 'open-requests';

/** The facts about a request the rules need. */
export interface PacedRequest {
  /** Everything but reqId: identical requests have equal keys. */
  readonly identityKey: string;
  /** Contract + exchange + whatToShow. */
  readonly contractKey: string;
  /** 2 for BID_ASK, 1 otherwise. */
  readonly weight: number;
  /** Bar length in seconds (for the small-bar scope of the practical mode). */
  readonly barSeconds: number;
}

/** Limits from IB's documentation. */
export const PACING_LIMITS = {
  identicalWindowMs: 15_000,
  burstWindowMs: 2_000,
  burstMaxRequests: 5,
  rateWindowMs: 600_000,
  rateMaxWeight: 60,
  maxOpenRequests: 50,
  smallBarMaxSeconds: 30,
} as const;

interface Stamp {
  readonly at: number;
  readonly key: string;
  readonly weight: number;
}

/** Server-wide pacing state (a gateway paces all of its clients together). */
export class PacingGuard {
  private history: Stamp[] = [];
  private open = 0;

  constructor(
    private readonly mode: PacingMode,
    private readonly timeScale: number,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  /** Requests currently open (accepted and not yet answered, or live-updating). */
  get openRequests(): number {
    return this.open;
  }

  /**
   * Checks a new request against the rules. When it passes it is recorded and counted as open;
   * the caller must call {@link PacingGuard.release} once it is answered or cancelled.
   */
  admit(request: PacedRequest): PacingRule | undefined {
    if (this.mode === 'off') return undefined;
    if (this.open >= PACING_LIMITS.maxOpenRequests) return 'open-requests';
    const now = this.monotonicNow();
    const scaled = (ms: number): number => ms / this.timeScale;
    this.history = this.history.filter((stamp) => now - stamp.at < scaled(PACING_LIMITS.rateWindowMs));
    const windowed = this.mode === 'strict' || request.barSeconds <= PACING_LIMITS.smallBarMaxSeconds;
    if (windowed) {
      const identical = this.history.some(
        (stamp) =>
          stamp.key === request.identityKey && now - stamp.at < scaled(PACING_LIMITS.identicalWindowMs),
      );
      if (identical) return 'identical-request';
      const burst = this.history.filter(
        (stamp) =>
          stamp.key.startsWith(`${request.contractKey}|`) &&
          now - stamp.at < scaled(PACING_LIMITS.burstWindowMs),
      ).length;
      if (burst >= PACING_LIMITS.burstMaxRequests) return 'same-contract-burst';
      const weight = this.history.reduce((sum, stamp) => sum + stamp.weight, 0);
      if (weight + request.weight > PACING_LIMITS.rateMaxWeight) return 'rate-limit';
    }
    if (windowed) this.history.push({ at: now, key: request.identityKey, weight: request.weight });
    this.open += 1;
    return undefined;
  }

  /** Marks an admitted request as no longer open. */
  release(): void {
    if (this.mode !== 'off' && this.open > 0) this.open -= 1;
  }

  /** Forgets all history (e.g. between test cases sharing one simulator). */
  reset(): void {
    this.history = [];
    this.open = 0;
  }
}
