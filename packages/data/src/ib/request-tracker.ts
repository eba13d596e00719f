import { ServiceTimeoutError } from '@ktrdr/core';
import { abortError } from './backoff';
import type { IbContractDescription, IbContractDetails } from './ib-api-port';
import type { Clock } from './clock';

/** The IB replies a pending request can receive, after the connection has decoded them. */
export type IbRequestEvent =
  | {
      type: 'historicalBar';
      time: string;
      open: number;
      high: number;
      low: number;
      close: number;
      volume: number | undefined;
    }
  | { type: 'historicalEnd' }
  | { type: 'contractDetails'; details: IbContractDetails }
  | { type: 'contractDetailsEnd' }
  | { type: 'headTimestamp'; value: string }
  | { type: 'currentTime'; epochSeconds: number }
  | { type: 'symbolSamples'; samples: IbContractDescription[] };

/** Kinds of request the tracker knows; `currentTime` replies carry no request id and go to every one of them. */
export type IbRequestKind =
  'historical' | 'contractDetails' | 'headTimestamp' | 'currentTime' | 'symbolSearch';

/** How a request's handler finishes it. */
export interface RequestControls<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Options of {@link RequestTracker.track}. */
export interface TrackOptions<T> {
  kind: IbRequestKind;
  /** Human description, named in errors: `historical bars AAPL 1 min 1 D`. */
  description: string;
  /** Per-request timeout in milliseconds, counted from when the request is sent. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Receives each reply addressed to this request; finishes it through `controls`. */
  onEvent(event: IbRequestEvent, controls: RequestControls<T>): void;
  /**
   * Called once when the request ends by timeout or abort, so IB stops working on it
   * (`cancelHistoricalData`): otherwise the query keeps counting against the 50 open requests.
   */
  onCancel?(reqId: number, reason: 'timeout' | 'abort' | 'connectivity'): void;
  /** Called after a timeout, to let the connection probe whether the socket is silent. */
  onTimeout?(reqId: number): void;
}

interface Entry {
  readonly reqId: number;
  readonly kind: IbRequestKind;
  readonly description: string;
  readonly handle: (event: IbRequestEvent) => void;
  readonly fail: (error: Error) => void;
  readonly cancelAtIb: () => void;
}

/**
 * Correlates IB replies with pending requests by request id. Every entry ends exactly once: by its
 * handler, its timeout, its AbortSignal, or {@link RequestTracker.rejectAll}; whatever arrives for
 * it afterwards (a late bar, IB's "query cancelled" after our cancel) finds no entry and is dropped.
 */
export class RequestTracker {
  private readonly entries = new Map<number, Entry>();
  private lastReqId = 0;
  private readonly listeners = new Set<(pending: number) => void>();

  /**
   * @param clock time source of the timeouts.
   * @param endpoint `host:port`, named in timeout errors.
   */
  constructor(
    private readonly clock: Clock,
    private readonly endpoint: string,
  ) {}

  /** Number of pending requests. */
  get size(): number {
    return this.entries.size;
  }

  /** True while `reqId` is pending. */
  has(reqId: number): boolean {
    return this.entries.has(reqId);
  }

  /** Descriptions of pending requests, oldest first (for status and diagnostics). */
  describe(): Array<{ reqId: number; kind: IbRequestKind; description: string }> {
    return [...this.entries.values()].map(({ reqId, kind, description }) => ({ reqId, kind, description }));
  }

  /** Subscribes to changes of the pending count (the connection's idle timer uses it). */
  onSizeChange(listener: (pending: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Registers a request and returns its id and the promise of its result. The caller sends the
   * request right after, with that id, if {@link RequestTracker.has} still says it is pending. Ids only grow, across reconnects too, so a reply meant for a
   * request of an earlier socket can never be mistaken for a new one.
   */
  track<T>(options: TrackOptions<T>): { reqId: number; promise: Promise<T> } {
    const reqId = ++this.lastReqId;
    const promise = new Promise<T>((resolve, reject) => {
      // Held in an object: the timer is armed after `finish`, which clears it, is defined.
      const timeout: { handle?: unknown } = {};
      const finish = (): boolean => {
        if (!this.entries.has(reqId)) return false;
        this.entries.delete(reqId);
        this.clock.clearTimeout(timeout.handle);
        options.signal?.removeEventListener('abort', onAbort);
        this.emitSize();
        return true;
      };
      const controls: RequestControls<T> = {
        resolve: (value) => {
          if (finish()) resolve(value);
        },
        reject: (error) => {
          if (finish()) reject(error);
        },
      };
      const onAbort = (): void => {
        if (!finish()) return;
        reject(abortError(options.signal, `IB ${options.description}`));
        options.onCancel?.(reqId, 'abort');
      };
      this.entries.set(reqId, {
        reqId,
        kind: options.kind,
        description: options.description,
        handle: (event) => options.onEvent(event, controls),
        fail: controls.reject,
        cancelAtIb: () => options.onCancel?.(reqId, 'connectivity'),
      });
      if (options.signal?.aborted) {
        // Ended before it was sent: no cancel to send, and the caller sees `has(reqId)` false and
        // does not send it at all.
        if (finish()) reject(abortError(options.signal, `IB ${options.description}`));
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      timeout.handle = this.clock.setTimeout(() => {
        if (!finish()) return;
        reject(
          new ServiceTimeoutError(
            `IB ${options.description} got no complete answer from ${this.endpoint} within ${options.timeoutMs} ms ` +
              `(request ${reqId} was cancelled). The gateway may be busy or the connection silent: retry, or raise timeoutMs.`,
            { details: { service: 'ib', endpoint: this.endpoint, reqId, timeoutMs: options.timeoutMs } },
          ),
        );
        options.onCancel?.(reqId, 'timeout');
        options.onTimeout?.(reqId);
      }, options.timeoutMs);
      this.emitSize();
    });
    return { reqId, promise };
  }

  /** Delivers a reply to its request; false when no such request is pending (a late reply, ignored). */
  dispatch(reqId: number, event: IbRequestEvent): boolean {
    const entry = this.entries.get(reqId);
    if (entry === undefined) return false;
    entry.handle(event);
    return true;
  }

  /** Delivers a reply that carries no request id to every pending request of `kind`. */
  broadcast(kind: IbRequestKind, event: IbRequestEvent): number {
    const targets = [...this.entries.values()].filter((entry) => entry.kind === kind);
    for (const entry of targets) entry.handle(event);
    return targets.length;
  }

  /** Fails one pending request; false when it is not pending. */
  fail(reqId: number, error: Error): boolean {
    const entry = this.entries.get(reqId);
    if (entry === undefined) return false;
    entry.fail(error);
    return true;
  }

  /**
   * Fails every pending request at once with `error` (disconnect, 1100, close); returns how many.
   * With `cancelAtIb` (the socket is still up, as after 1100) each is also cancelled at IB, so the
   * gateway frees its open-request slots and sends no stray replies later.
   */
  rejectAll(error: Error, options: { cancelAtIb?: boolean } = {}): number {
    const all = [...this.entries.values()];
    for (const entry of all) {
      entry.fail(error);
      if (options.cancelAtIb) entry.cancelAtIb();
    }
    return all.length;
  }

  private emitSize(): void {
    for (const listener of this.listeners) listener(this.entries.size);
  }
}
