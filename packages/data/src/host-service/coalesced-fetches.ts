import { randomUUID } from 'node:crypto';
import { CancelledError, RateLimitedError, raceAbort } from '@ktrdr/core';
import type { BarsRequest, HistoricalDataSource, SourceBars } from './historical-data-source';

/** Options of {@link CoalescedFetches}. */
export interface CoalescedFetchesOptions {
  /**
   * How long a fetch whose callers were all told "still waiting" keeps going without any of them
   * asking again, in ms (default 30 000). Past it the fetch is abandoned: its IB request leaves the
   * pacing queue, or is cancelled.
   */
  abandonMs?: number;
  /** How long a finished answer is kept for a caller told "still waiting" to collect, in ms (default 60 000). */
  keepMs?: number;
}

/** How one caller waits for a fetch. */
export interface FetchWaitOptions {
  /** The caller's signal: the HTTP request's, aborted when the client disconnects. */
  signal: AbortSignal;
  /**
   * Longest hold before answering "still waiting" (a {@link RateLimitedError} with
   * `details.pending`), in ms. Without it the caller waits until the fetch ends, as the Python
   * clients expect.
   */
  waitMs?: number;
  /** The id of an earlier "still waiting" answer: collects that fetch, even once it has ended. */
  fetchId?: string;
}

interface Fetch {
  readonly id: string;
  readonly key: string;
  readonly startedAt: number;
  readonly controller: AbortController;
  readonly promise: Promise<SourceBars>;
  settled: boolean;
  /** Callers waiting now. */
  waiters: number;
  /** Callers told "still waiting" that have not come back yet. */
  owed: number;
  timer: NodeJS.Timeout | undefined;
}

const PENDING = Symbol('pending');

/** The fields that make two historical requests the same request. */
function keyOf(request: Omit<BarsRequest, 'signal'>): string {
  return JSON.stringify([
    request.symbol,
    request.timeframe,
    request.start,
    request.end,
    request.instrumentType ?? null,
    request.pacing ?? null,
  ]);
}

/**
 * The IB host service's historical fetches, shared by identical requests: a request identical to
 * one in flight joins it (one IB request, every caller gets the answer) instead of queueing behind
 * IB's "no identical request within 15 s" rule. A caller may also bound its wait: past `waitMs` it
 * is told the host is still waiting (for a pacing slot or for IB's answer), the fetch keeps its place,
 * and the caller collects it by asking again with the fetch's id. So a pacing wait of minutes never
 * looks like a hung host to a client whose calls have a deadline.
 */
export class CoalescedFetches {
  private readonly inFlight = new Map<string, Fetch>();
  private readonly byId = new Map<string, Fetch>();
  private readonly abandonMs: number;
  private readonly keepMs: number;

  constructor(
    private readonly source: HistoricalDataSource,
    options: CoalescedFetchesOptions = {},
  ) {
    this.abandonMs = options.abandonMs ?? 30_000;
    this.keepMs = options.keepMs ?? 60_000;
  }

  /** Fetches in flight now (for tests and health). */
  get size(): number {
    return this.inFlight.size;
  }

  /** The bars of `request`, from a fetch of its own or shared with identical callers. */
  async fetch(request: Omit<BarsRequest, 'signal'>, options: FetchWaitOptions): Promise<SourceBars> {
    const key = keyOf(request);
    const claimed = options.fetchId === undefined ? undefined : this.byId.get(options.fetchId);
    const entry = claimed?.key === key ? claimed : (this.inFlight.get(key) ?? this.start(key, request));
    if (entry === claimed) entry.owed = Math.max(0, entry.owed - 1);
    entry.waiters++;
    if (entry.timer !== undefined && !entry.settled) this.clearTimer(entry);
    let pending = false;
    try {
      const outcome = await this.wait(entry, options);
      if (outcome !== PENDING) return outcome;
      pending = true;
      entry.owed++;
      const waitedMs = Date.now() - entry.startedAt;
      throw new RateLimitedError(
        `The IB host service is still fetching ${request.symbol} ${request.timeframe} after ${waitedMs} ms ` +
          `(waiting for an IB pacing slot or for IB's answer). Ask again with fetch_id ${entry.id} to collect it.`,
        { retryAfterMs: 0, details: { pending: true, fetchId: entry.id, waitedMs } },
      );
    } finally {
      entry.waiters--;
      this.afterWait(entry, pending);
    }
  }

  private start(key: string, request: Omit<BarsRequest, 'signal'>): Fetch {
    const controller = new AbortController();
    const entry: Fetch = {
      id: randomUUID(),
      key,
      startedAt: Date.now(),
      controller,
      promise: this.source.fetchBars({ ...request, signal: controller.signal }),
      settled: false,
      waiters: 0,
      owed: 0,
      timer: undefined,
    };
    this.inFlight.set(key, entry);
    this.byId.set(entry.id, entry);
    const settle = () => {
      entry.settled = true;
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      this.clearTimer(entry);
      // Kept only for callers told to come back; nobody else may see an answer that has ended.
      if (entry.owed === 0) this.byId.delete(entry.id);
      else this.setTimer(entry, this.keepMs, () => this.byId.delete(entry.id));
    };
    entry.promise.then(settle, settle);
    return entry;
  }

  /** The fetch's outcome, {@link PENDING} past `waitMs`, or the caller's abort. */
  private wait(entry: Fetch, options: FetchWaitOptions): Promise<SourceBars | typeof PENDING> {
    if (options.waitMs === undefined || entry.settled) {
      return raceAbort(entry.promise, options.signal, 'Fetching historical bars');
    }
    let hold: NodeJS.Timeout | undefined;
    const held = new Promise<typeof PENDING>((resolve) => {
      hold = setTimeout(() => resolve(PENDING), options.waitMs);
    });
    const work = Promise.race([entry.promise, held]);
    return raceAbort(work, options.signal, 'Fetching historical bars').finally(() => clearTimeout(hold));
  }

  /**
   * After a caller stops waiting: once nobody waits for an unfinished fetch, it goes on only for
   * callers told to come back (for `abandonMs`); if every caller left (disconnected, cancelled), its
   * IB request is cancelled now.
   */
  private afterWait(entry: Fetch, pending: boolean): void {
    if (entry.settled) {
      if (entry.owed === 0) {
        this.clearTimer(entry);
        this.byId.delete(entry.id);
      }
      return;
    }
    if (entry.waiters > 0) return;
    if (pending || entry.owed > 0) this.setTimer(entry, this.abandonMs, () => this.abandon(entry));
    else this.abandon(entry);
  }

  private abandon(entry: Fetch): void {
    // Forgotten first: a caller coming back later starts afresh rather than collect a cancellation.
    if (this.inFlight.get(entry.key) === entry) this.inFlight.delete(entry.key);
    this.byId.delete(entry.id);
    entry.controller.abort(new CancelledError('Every caller of this historical fetch left'));
  }

  private setTimer(entry: Fetch, ms: number, run: () => void): void {
    this.clearTimer(entry);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      run();
    }, ms);
    // A host process lives on its server; these timers must not keep anything else alive.
    entry.timer.unref();
  }

  private clearTimer(entry: Fetch): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
