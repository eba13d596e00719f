import { randomUUID } from 'node:crypto';
import {
  CancelledError,
  HostServiceError,
  type KtrdrError,
  type OperationProgress,
  errorFromCode,
  isKtrdrError,
  sleep,
} from '@ktrdr/core';
import type { TrainingAdapter } from '../adapter/training-adapter';
import type { StartTrainingInput, TrainingSessionInfo } from '../contract/training-host-contract';

/** Options of {@link TrainingManager}. */
export interface TrainingManagerOptions {
  adapter: TrainingAdapter;
  /**
   * Status polling of a training host over HTTP: first and longest interval, ms (default 2 s backing
   * off to 10 s, as the Python backend polled). In-process, nothing polls: the trainer pushes each
   * change through the transport's `onProgress`.
   */
  pollIntervalMs?: { initial: number; max: number };
}

/** Options of {@link TrainingManager.runTraining}. */
export interface RunTrainingOptions {
  signal?: AbortSignal;
  onProgress?: (progress: OperationProgress) => void;
}

const TERMINAL = new Set(['completed', 'failed', 'stopped']);

/** Maps a host session's progress onto an operation's progress fields. */
export function operationProgressOf(session: TrainingSessionInfo): OperationProgress {
  const { progress } = session;
  return {
    percentage: progress.progress_percent,
    current_step: progress.message,
    steps_completed: progress.epoch,
    steps_total: progress.total_epochs,
    items_processed: progress.batch,
    items_total: progress.total_batches,
    current_item: `epoch ${progress.epoch}/${progress.total_epochs}`,
    context: {
      session_id: session.session_id,
      backend: session.gpu_usage?.backend ?? null,
      metrics: lastEpochMetrics(session),
    },
  };
}

function lastEpochMetrics(session: TrainingSessionInfo): unknown {
  const history = session.metrics['history'];
  return Array.isArray(history) && history.length > 0 ? history[history.length - 1] : null;
}

/**
 * The error of a session the host ended or forgot without being asked to: the host shut down
 * (`stopped` though nobody stopped it) or was restarted (it no longer knows the id). Both are the
 * host's failure, not a cancellation by the user nor something the user asked for that is missing.
 */
function hostLostSession(
  adapter: TrainingAdapter,
  sessionId: string,
  how: 'stopped' | 'no longer knows',
  cause?: unknown,
) {
  const host = `${adapter.serviceName} at ${adapter.transport.target}`;
  return new HostServiceError(
    `${host} ${how} training session ${sessionId} mid-training: the training is lost. Check the host, then train again.`,
    // What the host answered: a session status (200), or "no such session" (404).
    { status: how === 'stopped' ? 200 : 404, details: { sessionId, url: adapter.transport.target }, cause },
  );
}

/**
 * The error a failed or stopped session stands for. A failure is rebuilt from its `error_code` by
 * core's one mapping from codes to classes (`errorFromCode`), as the client does for operations.
 */
function sessionError(session: TrainingSessionInfo, adapter: TrainingAdapter, stopping: boolean): KtrdrError {
  if (session.status === 'stopped' && !stopping) {
    return hostLostSession(adapter, session.session_id, 'stopped');
  }
  if (session.status === 'stopped') {
    return new CancelledError(`Training session ${session.session_id} was stopped`, {
      details: { sessionId: session.session_id },
    });
  }
  return errorFromCode(session.error_code, session.error ?? `Training session ${session.session_id} failed`, {
    sessionId: session.session_id,
  });
}

/**
 * The training path's business logic (the seed's TrainingManager): starts a session on the host,
 * follows it to the end with progress, stops it when the caller cancels, and turns a failed or
 * stopped session into the matching error.
 *
 * Following: in-process, the trainer pushes every change through the transport's `onProgress`
 * (the host's `follow` route), so progress arrives as it happens and no status call is made. A
 * training host over HTTP is polled (`status`, backing off), as before: a poll notices a host that
 * went away or restarted, which a dropped stream would have to be reopened for.
 */
export class TrainingManager {
  readonly adapter: TrainingAdapter;
  private readonly poll: { initial: number; max: number };

  constructor(options: TrainingManagerOptions) {
    this.adapter = options.adapter;
    this.poll = options.pollIntervalMs ?? { initial: 2000, max: 10_000 };
  }

  /** Runs one training session to its end and resolves with its final state. */
  async runTraining(
    input: StartTrainingInput,
    options: RunTrainingOptions = {},
  ): Promise<TrainingSessionInfo> {
    // The id is chosen here, so a start whose answer never arrives (cancelled, timed out) can
    // still be stopped: the host may have started the session before the call failed.
    const sessionId = input.session_id ?? `train_${randomUUID().slice(0, 8)}`;
    try {
      await this.adapter.startTraining({ ...input, session_id: sessionId }, { signal: options.signal });
    } catch (error) {
      // Refused requests created nothing, and a conflicting id is someone else's session.
      const refused = isKtrdrError(error) && (error.code === 'validation' || error.code === 'conflict');
      if (!refused) {
        await this.adapter.stopTraining(sessionId).catch(() => undefined);
      }
      throw error;
    }
    return this.adapter.transport.kind === 'in-process'
      ? this.followPushed(sessionId, options)
      : this.followPolled(sessionId, options);
  }

  /** Follows a session through the pushed changes of the host's `follow` route. */
  private async followPushed(sessionId: string, options: RunTrainingOptions): Promise<TrainingSessionInfo> {
    let stopping = false;
    // Stop on the host; the session then ends `stopped` and the follow call answers it.
    const stop = () => {
      stopping = true;
      this.adapter.stopTraining(sessionId).catch(() => undefined);
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
    try {
      // No signal: the call ends with the session, which a cancel stops.
      const session = await this.adapter
        .followTraining(sessionId, { onSession: (s) => options.onProgress?.(operationProgressOf(s)) })
        .catch((error: unknown) => this.lostIfUnknown(sessionId, error));
      return this.settle(session, stopping, options);
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
  }

  /** Follows a session by polling its status, backing off (a training host over HTTP). */
  private async followPolled(sessionId: string, options: RunTrainingOptions): Promise<TrainingSessionInfo> {
    let interval = this.poll.initial;
    let stopping = false;
    for (;;) {
      if (options.signal?.aborted && !stopping) {
        stopping = true;
        await this.adapter.stopTraining(sessionId).catch(() => undefined);
      }
      const session = await this.adapter
        .getStatus(sessionId)
        .catch((error: unknown) => this.lostIfUnknown(sessionId, error));
      if (TERMINAL.has(session.status)) return this.settle(session, stopping, options);
      options.onProgress?.(operationProgressOf(session));
      await sleep(interval, stopping ? undefined : options.signal).catch(() => undefined);
      interval = Math.min(this.poll.max, Math.round(interval * 1.5));
    }
  }

  /** The host accepted this id, so "no such session" means it was restarted in between. */
  private lostIfUnknown(sessionId: string, error: unknown): never {
    if (isKtrdrError(error) && error.code === 'not_found') {
      throw hostLostSession(this.adapter, sessionId, 'no longer knows', error);
    }
    throw error;
  }

  /** Reports a session's final state and resolves with it, or throws the error it ended with. */
  private settle(
    session: TrainingSessionInfo,
    stopping: boolean,
    options: RunTrainingOptions,
  ): TrainingSessionInfo {
    options.onProgress?.(operationProgressOf(session));
    if (session.status === 'completed') return session;
    // A cancel that arrived meanwhile counts too: the session stopped because we asked.
    throw sessionError(session, this.adapter, stopping || options.signal?.aborted === true);
  }
}
