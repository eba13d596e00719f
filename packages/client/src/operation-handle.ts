import type { OperationInfo, OperationProgress } from '@ktrdr/core';
import type { ClientConnection, FollowOptions } from './client-connection';
import { operationError } from './operation-error';
import type { AnyOperationSummary, TypedOperationInfo } from './operation-summaries';

/**
 * A handle on one operation (a data load, a training), whoever started it: `status()`, progress as
 * an async iterable, `wait()`, `result()` and `cancel()`. It holds only the id: any number of
 * handles, in any process, can follow the same operation. Remote handles follow it over the API's
 * server-sent events; embedded ones over the in-process registry.
 */
export class KtrdrOperationHandle<S = AnyOperationSummary> {
  /** @internal Use `client.operations.handle(id)`, `client.data.load()` or `client.training.start()`. */
  constructor(
    /** The operation's id (`op_data_load_...`). */
    readonly id: string,
    private readonly connection: ClientConnection,
  ) {}

  /** The operation as it is now. */
  async status(options: { signal?: AbortSignal } = {}): Promise<TypedOperationInfo<S>> {
    const answer = await this.connection.api.operations.get({ operation_id: this.id }, options);
    return answer.data as TypedOperationInfo<S>;
  }

  /**
   * Follows the operation to its end, reporting progress, and resolves with its final snapshot,
   * whatever the status (check `status`, or use {@link result}). Aborting `signal` stops following
   * (it rejects with a `CancelledError`); the operation goes on.
   */
  async wait(options: FollowOptions = {}): Promise<TypedOperationInfo<S>> {
    return (await this.connection.follow(this.id, options)) as TypedOperationInfo<S>;
  }

  /**
   * Resolves with the typed `result_summary` once the operation completes; rejects with the error
   * it ended with, as the class its code names (`CancelledError` when cancelled).
   */
  async result(options: FollowOptions = {}): Promise<S> {
    const info = await this.wait(options);
    if (info.status !== 'completed') throw operationError(info);
    return (info.result_summary ?? {}) as S;
  }

  /**
   * Asks the operation to stop and resolves with its snapshot at once; the work stops at its next
   * safe point (`wait()` tells when). No-op for an operation that already ended.
   */
  async cancel(
    reason = 'Cancelled by request',
    options: { signal?: AbortSignal } = {},
  ): Promise<OperationInfo> {
    const answer = await this.connection.api.operations.cancel({ operation_id: this.id, reason }, options);
    return answer.data;
  }

  /**
   * Progress updates until the operation ends. Breaking out of the loop stops following (the
   * operation goes on); an operation that fails still ends the iteration normally: `result()` says how it ended.
   */
  async *progress(options: { signal?: AbortSignal } = {}): AsyncGenerator<OperationProgress> {
    const queue: OperationProgress[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const stop = new AbortController();
    const signal =
      options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
    const following = this.wait({
      signal,
      onProgress: (progress) => {
        queue.push(progress);
        wake?.();
      },
    }).finally(() => {
      ended = true;
      wake?.();
    });
    try {
      while (true) {
        while (queue.length > 0) yield queue.shift() as OperationProgress;
        if (ended) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      // Surface a failure to follow (the API went away, an unknown id), not the operation's own end.
      await following;
    } finally {
      stop.abort();
      following.catch(() => undefined);
    }
  }
}
