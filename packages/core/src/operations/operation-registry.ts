import { NotFoundError } from '../errors/index';
import { createOperationId } from './operation-id';
import { OperationHandle } from './operation-handle';
import type { OperationContext, OperationInfo, OperationStatus } from './operation-types';

/** Options of {@link OperationRegistry}. */
export interface OperationRegistryOptions {
  /** Most finished operations kept; the oldest are evicted first (default 500). */
  maxFinished?: number;
  /** How long a finished operation stays listed, in ms (default 1 hour). */
  retentionMs?: number;
}

/** Options of {@link OperationRegistry.start}. */
export interface StartOperationOptions<T> {
  /** Facts shown with the operation (symbol, timeframe, mode, dates...). */
  metadata?: Record<string, unknown>;
  /** Cancels the operation when it aborts. */
  signal?: AbortSignal;
  /** Builds `result_summary` from the result. */
  summarize?: (result: T) => Record<string, unknown>;
  /**
   * Builds `result_summary` of an operation that failed or was cancelled from the error it ended
   * with (what it kept before stopping); undefined leaves it out.
   */
  summarizeFailure?: (error: unknown) => Record<string, unknown> | undefined;
}

/** Filters of {@link OperationRegistry.list}. */
export interface ListOperationsFilter {
  status?: OperationStatus;
  type?: string;
  limit?: number;
}

/**
 * A bounded, in-memory registry of operations: running ones are always kept, finished ones are kept
 * for a retention period and up to a count, so a long-lived server never grows without bound.
 */
export class OperationRegistry {
  private readonly operations = new Map<string, OperationHandle<unknown>>();
  private readonly maxFinished: number;
  private readonly retentionMs: number;

  constructor(options: OperationRegistryOptions = {}) {
    this.maxFinished = options.maxFinished ?? 500;
    this.retentionMs = options.retentionMs ?? 60 * 60 * 1000;
  }

  /** Starts `work` as an operation of `type` and returns its handle at once. */
  start<T>(
    type: string,
    work: (context: OperationContext) => Promise<T>,
    options: StartOperationOptions<T> = {},
  ): OperationHandle<T> {
    this.prune();
    const handle = new OperationHandle<T>(createOperationId(type), type, options.metadata ?? {}, work, {
      signal: options.signal,
      summarize: options.summarize,
      summarizeFailure: options.summarizeFailure,
    });
    this.operations.set(handle.id, handle as OperationHandle<unknown>);
    return handle;
  }

  /** The handle of operation `id`, or a `NotFoundError`. */
  get(id: string): OperationHandle<unknown> {
    const handle = this.operations.get(id);
    if (handle === undefined) {
      throw new NotFoundError(`No operation ${id}. List operations to see the known ones.`, {
        details: { operationId: id },
      });
    }
    return handle;
  }

  /** Snapshots, newest first. */
  list(filter: ListOperationsFilter = {}): OperationInfo[] {
    this.prune();
    // Newest first; reversing insertion order first keeps that true within one millisecond.
    const infos = [...this.operations.values()]
      .reverse()
      .map((handle) => handle.describe())
      .filter(
        (info) =>
          (filter.status === undefined || info.status === filter.status) &&
          (filter.type === undefined || info.operation_type === filter.type),
      )
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    return filter.limit === undefined ? infos : infos.slice(0, filter.limit);
  }

  /** Cancels operation `id` and returns its snapshot. */
  cancel(id: string, reason?: string): OperationInfo {
    const handle = this.get(id);
    handle.cancel(reason);
    return handle.describe();
  }

  /** Cancels every running operation and waits for them to settle (for graceful shutdown). */
  async cancelAll(reason = 'Shutting down'): Promise<void> {
    const running = [...this.operations.values()].filter((handle) => !handle.done);
    for (const handle of running) handle.cancel(reason);
    await Promise.allSettled(running.map((handle) => handle.result()));
  }

  private prune(now = Date.now()): void {
    const finished = [...this.operations.values()].filter((handle) => handle.done);
    const expired = finished.filter((handle) => {
      const completedAt = handle.describe().completed_at;
      return completedAt !== undefined && now - Date.parse(completedAt) > this.retentionMs;
    });
    for (const handle of expired) this.operations.delete(handle.id);
    const remaining = finished.filter((handle) => !expired.includes(handle));
    for (const handle of remaining.slice(0, Math.max(0, remaining.length - this.maxFinished))) {
      this.operations.delete(handle.id);
    }
  }
}
