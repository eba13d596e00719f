import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  CancelledError,
  errorFromJSON,
  InternalError,
  type KtrdrError,
  toKtrdrError,
  ValidationError,
} from '@ktrdr/core';
import type { DatasetSplit } from '../model/dataset';
import type { TrainingProgress } from '../trainer/training-types';
import { workerEntryFor } from '../threads/worker-script';
import { resolveTrainingWorkerEntry, type WorkerEntry } from './worker-entry';
import type { HostMessage, TrainingJob, TrainingJobOutcome, WorkerMessage } from './worker-protocol';

/** Lifecycle of a task: queued until a slot frees, then running, then one of the final three. */
export type TrainingTaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Options of {@link TrainingWorkerPool}. */
export interface TrainingWorkerPoolOptions {
  /**
   * Sessions training at once (default `KTRDR_TRAINING_CONCURRENCY`, else CPU cores - 1, at least
   * 1); the rest wait, queued in FIFO order.
   */
  concurrency?: number;
  /** Minimum interval between batch progress events per session, in ms (default 100). Epoch events are never dropped. */
  progressIntervalMs?: number;
  /** After a cancel, how long a worker may take to stop before it is terminated, in ms (default 10 000). */
  cancelGraceMs?: number;
  /**
   * Nice value of the worker threads on Linux (default 10; 0 keeps normal priority). With more
   * sessions than cores, it keeps the host's event loop responsive: the scheduler then prefers the
   * host thread whenever it has work.
   */
  workerNiceness?: number;
  /** Override the worker script (a `.ts` file runs under tsx). Mostly for tests. */
  workerFile?: string;
}

/** Options of {@link TrainingWorkerPool.submit}. */
export interface SubmitOptions {
  /** Id of the task (default: a random UUID). */
  id?: string;
  /** Aborting cancels the task: dequeued if waiting, stopped at the next batch if running. */
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
  /**
   * Move the job's typed arrays to the worker instead of copying them (the caller's arrays become
   * unusable). Saves a copy of the whole dataset per session.
   */
  transfer?: boolean;
}

/** A submitted training session. */
export interface TrainingTask {
  readonly id: string;
  readonly status: TrainingTaskStatus;
  /** Latest progress event. */
  readonly progress: TrainingProgress | undefined;
  /** Why it failed or was cancelled. */
  readonly error: KtrdrError | undefined;
  /** Settles with the outcome; rejects with `CancelledError` or the failure. */
  readonly result: Promise<TrainingJobOutcome>;
  /** Requests cancellation (idempotent); `result` then rejects with `CancelledError`. */
  cancel(reason?: string): void;
}

interface TaskState {
  id: string;
  status: TrainingTaskStatus;
  progress: TrainingProgress | undefined;
  error: KtrdrError | undefined;
  job: TrainingJob;
  options: SubmitOptions;
  resolve: (outcome: TrainingJobOutcome) => void;
  reject: (error: KtrdrError) => void;
  cancelRequested: string | undefined;
  worker?: Worker;
  cancelFlag?: Int32Array;
  killTimer?: ReturnType<typeof setTimeout>;
}

/**
 * Runs training sessions in worker threads, at most `concurrency` at a time, so a host's event
 * loop never does the arithmetic. Each session gets a fresh worker (isolation: a crash or a leak
 * dies with its worker; start-up is small next to training). Progress is posted back per epoch
 * and (throttled) per batch; cancellation is a message plus a shared flag the training loop reads
 * before every batch, so it stops at the next batch even while the worker is busy.
 */
export class TrainingWorkerPool {
  readonly concurrency: number;
  private readonly progressIntervalMs: number;
  private readonly cancelGraceMs: number;
  private readonly niceness: number;
  private readonly entry: WorkerEntry;
  private readonly queue: TaskState[] = [];
  private readonly active = new Set<TaskState>();
  private closed = false;
  // Workers asked to stop whose threads have not exited yet: `close()` waits for them, so that a
  // process exiting right after it never tears down a thread mid-termination (which can hang exit).
  private readonly stopping = new Set<Promise<unknown>>();

  constructor(options: TrainingWorkerPoolOptions = {}) {
    this.concurrency = Math.max(
      1,
      Math.floor(options.concurrency ?? concurrencyFromEnv() ?? Math.max(1, availableParallelism() - 1)),
    );
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.cancelGraceMs = options.cancelGraceMs ?? 10_000;
    this.niceness = Math.max(0, Math.min(19, Math.floor(options.workerNiceness ?? 10)));
    this.entry =
      options.workerFile !== undefined ? workerEntryFor(options.workerFile) : resolveTrainingWorkerEntry();
  }

  /** Sessions training now. */
  get running(): number {
    return this.active.size;
  }

  /** Sessions waiting for a slot. */
  get queued(): number {
    return this.queue.length;
  }

  /** Queues a session; it starts as soon as fewer than `concurrency` are running. */
  submit(job: TrainingJob, options: SubmitOptions = {}): TrainingTask {
    if (this.closed) throw new InternalError('The training worker pool is closed; create a new one');
    let resolve!: (outcome: TrainingJobOutcome) => void;
    let reject!: (error: KtrdrError) => void;
    const result = new Promise<TrainingJobOutcome>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Callers that only poll status must not trigger unhandled-rejection warnings.
    result.catch(() => undefined);
    const state: TaskState = {
      id: options.id ?? randomUUID(),
      status: 'queued',
      progress: undefined,
      error: undefined,
      job,
      options,
      resolve,
      reject,
      cancelRequested: undefined,
    };
    const task: TrainingTask = {
      id: state.id,
      get status() {
        return state.status;
      },
      get progress() {
        return state.progress;
      },
      get error() {
        return state.error;
      },
      result,
      cancel: (reason) => this.cancel(state, reason ?? 'cancelled by request'),
    };
    const { signal } = options;
    if (signal?.aborted === true) {
      this.cancel(state, 'the signal was already aborted');
      return task;
    }
    signal?.addEventListener('abort', () => this.cancel(state, 'the signal was aborted'), { once: true });
    this.queue.push(state);
    this.pump();
    return task;
  }

  /** Submits and waits: the outcome, or a rejection with `CancelledError` or the failure. */
  run(job: TrainingJob, options: SubmitOptions = {}): Promise<TrainingJobOutcome> {
    return this.submit(job, options).result;
  }

  /** Cancels queued sessions, stops running ones, refuses new work, and waits for every thread to exit. */
  async close(): Promise<void> {
    this.closed = true;
    for (const state of [...this.queue]) this.cancel(state, 'the pool was closed');
    for (const state of [...this.active]) {
      this.finish(
        state,
        'cancelled',
        new CancelledError(`Training ${state.id} cancelled: the pool was closed`),
      );
    }
    await Promise.allSettled([...this.stopping]);
  }

  private terminate(worker: Worker | undefined): void {
    if (worker === undefined) return;
    const exited = worker
      .terminate()
      .catch(() => undefined)
      .finally(() => this.stopping.delete(exited));
    this.stopping.add(exited);
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.queue.length > 0) {
      const state = this.queue.shift()!;
      this.start(state);
    }
  }

  private start(state: TaskState): void {
    state.status = 'running';
    this.active.add(state);
    const flag = new SharedArrayBuffer(4);
    state.cancelFlag = new Int32Array(flag);
    let worker: Worker;
    try {
      const workerData = {
        niceness: this.niceness,
        ...(this.entry.tsxEntry === undefined ? {} : { tsxEntry: this.entry.tsxEntry }),
      };
      worker = new Worker(this.entry.file, { workerData });
    } catch (error) {
      this.finish(state, 'failed', toKtrdrError(error, 'Could not start a training worker'));
      return;
    }
    state.worker = worker;
    worker.on('message', (message: WorkerMessage) => this.onMessage(state, message));
    worker.on('error', (error) => {
      this.finish(
        state,
        'failed',
        new InternalError(`Training worker crashed: ${error.message}`, { cause: error }),
      );
    });
    worker.on('exit', (code) => {
      if (state.status === 'running') {
        const error =
          state.cancelRequested !== undefined
            ? new CancelledError(`Training ${state.id} cancelled: ${state.cancelRequested}`)
            : new InternalError(`Training worker exited with code ${code} before reporting a result`);
        this.finish(state, state.cancelRequested !== undefined ? 'cancelled' : 'failed', error);
      }
    });
    const message: HostMessage = {
      type: 'start',
      job: state.job,
      cancelFlag: flag,
      progressIntervalMs: this.progressIntervalMs,
    };
    try {
      worker.postMessage(message, state.options.transfer === true ? transferList(state.job) : []);
    } catch (error) {
      this.finish(state, 'failed', toKtrdrError(error, 'Could not send the job to the training worker'));
      return;
    }
    if (state.cancelRequested !== undefined) this.signalCancel(state);
  }

  private onMessage(state: TaskState, message: WorkerMessage): void {
    if (state.status !== 'running') return;
    if (message.type === 'progress') {
      state.progress = message.progress;
      try {
        state.options.onProgress?.(message.progress);
      } catch {
        // A throwing listener must not take the session down.
      }
    } else if (message.type === 'done') {
      this.finish(state, 'completed', undefined, message.outcome);
    } else {
      const error = errorFromJSON(message.error);
      this.finish(state, error instanceof CancelledError ? 'cancelled' : 'failed', error);
    }
  }

  private cancel(state: TaskState, reason: string): void {
    if (state.status !== 'queued' && state.status !== 'running') return;
    state.cancelRequested ??= reason;
    if (state.status === 'queued') {
      const index = this.queue.indexOf(state);
      if (index >= 0) this.queue.splice(index, 1);
      this.finish(
        state,
        'cancelled',
        new CancelledError(`Training ${state.id} cancelled before it started: ${reason}`),
      );
      return;
    }
    this.signalCancel(state);
  }

  private signalCancel(state: TaskState): void {
    if (state.cancelFlag !== undefined) Atomics.store(state.cancelFlag, 0, 1);
    try {
      state.worker?.postMessage({ type: 'cancel' } satisfies HostMessage);
    } catch {
      // The worker is gone already; its exit handler settles the task.
    }
    state.killTimer ??= setTimeout(() => {
      // A worker stuck outside the batch loop (a long save, a native call) is stopped the hard way.
      this.finish(
        state,
        'cancelled',
        new CancelledError(`Training ${state.id} cancelled: ${state.cancelRequested ?? 'cancelled'}`),
      );
    }, this.cancelGraceMs);
    state.killTimer.unref?.();
  }

  private finish(
    state: TaskState,
    status: TrainingTaskStatus,
    error?: KtrdrError,
    outcome?: TrainingJobOutcome,
  ): void {
    if (state.status !== 'queued' && state.status !== 'running') return;
    state.status = status;
    state.error = error;
    if (state.killTimer !== undefined) clearTimeout(state.killTimer);
    const wasActive = this.active.delete(state);
    this.terminate(state.worker);
    if (outcome !== undefined) state.resolve(outcome);
    else state.reject(error ?? new InternalError(`Training ${state.id} ended without a result`));
    if (wasActive && !this.closed) this.pump();
  }
}

/** Environment variable: sessions a training host trains at once (see {@link TrainingWorkerPool}). */
export const TRAINING_CONCURRENCY_ENV = 'KTRDR_TRAINING_CONCURRENCY';

/**
 * `KTRDR_TRAINING_CONCURRENCY` as a positive integer, or undefined when unset or empty.
 * @throws ValidationError for anything else (a typo must not silently mean "all cores").
 */
export function concurrencyFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[TRAINING_CONCURRENCY_ENV]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(`${TRAINING_CONCURRENCY_ENV} must be a positive integer, got '${raw}'`, {
      details: { field: TRAINING_CONCURRENCY_ENV },
    });
  }
  return value;
}

/** The distinct ArrayBuffers behind a job's typed arrays. */
function transferList(job: TrainingJob): ArrayBuffer[] {
  const splits = [job.data.train, job.data.validation, job.data.test].filter(
    (s): s is DatasetSplit => s !== undefined,
  );
  const buffers = new Set<ArrayBuffer>();
  for (const split of splits) {
    for (const array of [split.x, split.y]) {
      if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
    }
  }
  return [...buffers];
}
