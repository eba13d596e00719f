import { EventEmitter } from 'node:events';
import { CancelledError, KtrdrError, toKtrdrError } from '../errors/index';
import {
  type OperationContext,
  type OperationInfo,
  type OperationProgress,
  type OperationStatus,
  TERMINAL_STATUSES,
} from './operation-types';

/** Events a handle emits. */
export interface OperationEvents {
  progress: [OperationProgress];
  status: [OperationStatus];
}

/**
 * A handle on long-running work (a data load, a training): its id, status and progress, the result
 * as a promise, cancellation, progress as events and as an async iterator.
 */
export class OperationHandle<T = unknown> extends EventEmitter<OperationEvents> {
  readonly id: string;
  readonly type: string;
  private info: OperationInfo;
  private readonly controller = new AbortController();
  private readonly outcome: Promise<T>;
  private summarize: ((result: T) => Record<string, unknown>) | undefined;
  private summarizeFailure: ((error: unknown) => Record<string, unknown> | undefined) | undefined;

  /** @internal Use `OperationRegistry.start`. */
  constructor(
    id: string,
    type: string,
    metadata: Record<string, unknown>,
    work: (context: OperationContext) => Promise<T>,
    options: {
      signal?: AbortSignal;
      summarize?: (result: T) => Record<string, unknown>;
      summarizeFailure?: (error: unknown) => Record<string, unknown> | undefined;
    } = {},
  ) {
    super();
    this.id = id;
    this.type = type;
    this.summarize = options.summarize;
    this.summarizeFailure = options.summarizeFailure;
    this.info = {
      operation_id: id,
      operation_type: type,
      status: 'pending',
      created_at: new Date().toISOString(),
      progress: { percentage: 0 },
      metadata,
    };
    const external = options.signal;
    const onExternalAbort = () => this.cancel(`Caller aborted: ${String(external?.reason)}`);
    if (external?.aborted === true) onExternalAbort();
    else external?.addEventListener('abort', onExternalAbort, { once: true });
    this.outcome = this.run(work).finally(() => external?.removeEventListener('abort', onExternalAbort));
    // The outcome is observed through result(); never let an unobserved failure crash the process.
    this.outcome.catch(() => undefined);
  }

  private async run(work: (context: OperationContext) => Promise<T>): Promise<T> {
    await Promise.resolve();
    if (this.controller.signal.aborted) throw this.finish('cancelled', this.cancelError());
    this.setStatus('running');
    this.info.started_at = new Date().toISOString();
    try {
      const result = await work({
        operationId: this.id,
        signal: this.controller.signal,
        reportProgress: (progress) => this.updateProgress(progress),
      });
      if (this.controller.signal.aborted) throw this.finish('cancelled', this.cancelError());
      if (this.summarize !== undefined) this.info.result_summary = this.summarize(result);
      // Work that reported its own 100% needs no second, identical event.
      if (this.info.progress.percentage < 100) this.updateProgress({ percentage: 100 });
      this.finish('completed');
      return result;
    } catch (error) {
      if (error instanceof KtrdrError && TERMINAL_STATUSES.includes(this.info.status)) throw error;
      // What failed or cancelled work kept (a load's stored bars), so a caller can say so.
      const partial = this.summarizeFailure?.(error);
      if (partial !== undefined) this.info.result_summary = partial;
      const ktrdrError = this.controller.signal.aborted
        ? this.cancelError()
        : toKtrdrError(error, `${this.type} failed`);
      throw this.finish(ktrdrError instanceof CancelledError ? 'cancelled' : 'failed', ktrdrError);
    }
  }

  /** What a cancellation stands for: {@link OperationHandle.cancel} aborts with a `CancelledError`. */
  private cancelError(): KtrdrError {
    return this.controller.signal.reason as CancelledError;
  }

  private finish(status: OperationStatus, error?: KtrdrError): KtrdrError {
    this.info.completed_at = new Date().toISOString();
    if (error !== undefined) {
      this.info.error_message = error.message;
      this.info.error_code = error.code;
    }
    this.setStatus(status);
    return error as KtrdrError;
  }

  private setStatus(status: OperationStatus): void {
    this.info.status = status;
    this.emit('status', status);
  }

  private updateProgress(progress: Partial<OperationProgress>): void {
    if (TERMINAL_STATUSES.includes(this.info.status)) return;
    const percentage = Math.min(100, Math.max(this.info.progress.percentage, progress.percentage ?? 0));
    this.info.progress = { ...this.info.progress, ...progress, percentage };
    this.emit('progress', { ...this.info.progress });
  }

  /** Current status. */
  get status(): OperationStatus {
    return this.info.status;
  }

  /** Current progress (a copy). */
  get progress(): OperationProgress {
    return { ...this.info.progress };
  }

  /** True once completed, failed or cancelled. */
  get done(): boolean {
    return TERMINAL_STATUSES.includes(this.info.status);
  }

  /** Resolves with the result, or rejects with the failure (a `CancelledError` when cancelled). */
  result(): Promise<T> {
    return this.outcome;
  }

  /** Requests cancellation; the work stops at its next check of the signal. No-op once done. */
  cancel(reason = 'Cancelled by request'): void {
    if (this.done || this.controller.signal.aborted) return;
    this.controller.abort(
      new CancelledError(`Operation ${this.id} was cancelled: ${reason}`, {
        details: { operationId: this.id, reason },
      }),
    );
  }

  /** A snapshot for listing and HTTP. */
  describe(): OperationInfo {
    return structuredClone(this.info);
  }

  /** Progress updates until the operation ends (then the iterator completes). */
  async *[Symbol.asyncIterator](): AsyncIterator<OperationProgress> {
    const queue: OperationProgress[] = [];
    let wake: (() => void) | undefined;
    const onProgress = (progress: OperationProgress) => {
      queue.push(progress);
      wake?.();
    };
    const onStatus = () => wake?.();
    this.on('progress', onProgress);
    this.on('status', onStatus);
    try {
      while (true) {
        while (queue.length > 0) yield queue.shift() as OperationProgress;
        if (this.done) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.off('progress', onProgress);
      this.off('status', onStatus);
    }
  }
}
