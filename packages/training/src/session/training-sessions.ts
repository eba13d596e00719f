import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  CancelledError,
  ConflictError,
  KtrdrError,
  NotFoundError,
  ValidationError,
  toKtrdrError,
} from '@ktrdr/core';
import { TF_BACKENDS, type TfBackendName } from '../backend/tf-backend-names';
import type { OhlcvColumns } from '../indicators/ohlcv';
import { prepareMultiSymbolData, sliceRows } from '../features/training-data';
import type { RowRange } from '../labels/data-split';
import { modelKeyParts } from '../storage/model-names';
import { loadAll, timeRange, trainingScope } from './session-data';
import type { StartTrainingInput, TrainingSessionInfo } from '../contract/training-host-contract';
import type { TrainingData as DatasetSplit } from '../model/dataset';
import { validateMlpConfig } from '../model/mlp-config';
import { MODEL_FILES } from '../storage/model-store';
import { parseStrategy } from '../strategy/parse-strategy';
import type { TrainingProgress } from '../trainer/training-types';
import type { TrainingTask, TrainingWorkerPool } from '../worker/training-worker-pool';
import { mlpConfigFromStrategy } from './strategy-to-mlp';
import { bySymbolJson, classificationJson, epochMetricsJson } from '../storage/metrics-json';

/** The folder under the models folder that holds the training checkpoints, one subfolder per id. */
export const CHECKPOINTS_FOLDER = '.checkpoints';

/** The checkpoint folder of `id` (validated by the contract: letters, digits, `_ . -`). */
export function checkpointDir(modelsDir: string, id: string): string {
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(id) || id === '.' || id === '..') {
    throw new ValidationError(`Invalid checkpoint id '${id}'`, { details: { field: 'checkpoint_id' } });
  }
  return path.join(modelsDir, CHECKPOINTS_FOLDER, id);
}

/** Bars a session trains on, labelled real or simulated. */
export interface SessionBars {
  columns: OhlcvColumns;
  simulated: boolean;
}

/** Where sessions get their bars: the host's `@ktrdr/data` store, usually. */
export type LoadBars = (request: {
  symbol: string;
  timeframe: string;
  start?: string | undefined;
  end?: string | undefined;
  signal: AbortSignal;
}) => Promise<SessionBars>;

/** Options of {@link TrainingSessions}. */
export interface TrainingSessionsOptions {
  pool: TrainingWorkerPool;
  loadBars: LoadBars;
  /** Where models are saved. */
  modelsDir: string;
  /** Backend name for health answers before any session ran. */
  backend?: string;
  /** Finished sessions kept for status queries (default 200). */
  maxFinished?: number;
}

interface Session {
  info: TrainingSessionInfo;
  /** Every symbol trained on (per-symbol test metrics are keyed by them). */
  symbols: string[];
  controller: AbortController;
  task?: TrainingTask;
  /** Called on every change of `info` (see {@link TrainingSessions.follow}). */
  listeners: Set<() => void>;
  /** When followers were last told of a change (ms, monotonic), for {@link progressChanged}. */
  notifiedAt: number;
  /** A coalesced progress notification still to come. */
  pendingNotice?: NodeJS.Timeout;
}

type StartInput = StartTrainingInput & {
  training_configuration: NonNullable<StartTrainingInput['training_configuration']>;
};

const now = () => new Date().toISOString();

/**
 * The trainer behind the training host service: runs sessions (load bars, build features and
 * labels, train in a worker thread, save the model with its ONNX export), tracks their status and
 * progress, and stops them on request. The concurrency limit is the worker pool's: a session is
 * `pending` while its bars load and while it waits for a free worker, `running` once it trains.
 */
export class TrainingSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly maxFinished: number;
  private lastBackend: string;

  constructor(private readonly options: TrainingSessionsOptions) {
    this.maxFinished = options.maxFinished ?? 200;
    this.lastBackend = options.backend ?? 'auto';
  }

  /** Validates the request, registers a session and starts it; resolves with the session id. */
  start(input: StartInput): string {
    const source = {
      yaml: input.model_configuration.strategy_yaml,
      fileName: `${input.model_configuration.strategy_name ?? 'strategy'}.yaml`,
    };
    const strategy = parseStrategy(source.yaml, source.fileName);
    // Refused here, synchronously, rather than by the worker once the session is under way.
    const { symbols, timeframes } = trainingScope(input.data_configuration, strategy);
    const config = validateMlpConfig(
      mlpConfigFromStrategy(strategy, input.training_configuration, source, symbols.length),
    );
    const backend = backendOf(input.gpu_configuration?.backend);
    const { symbol, timeframe } = modelKeyParts(symbols, timeframes);
    const checkpoint = input.checkpoint_configuration;
    const checkpointFolder =
      checkpoint === undefined ? undefined : checkpointDir(this.options.modelsDir, checkpoint.checkpoint_id);
    const id = input.session_id ?? `train_${randomUUID().slice(0, 8)}`;
    if (this.sessions.has(id)) {
      throw new ConflictError(`Training session ${id} already exists`, { details: { sessionId: id } });
    }
    this.prune();
    const session: Session = {
      symbols,
      listeners: new Set(),
      notifiedAt: Number.NEGATIVE_INFINITY,
      controller: new AbortController(),
      info: {
        session_id: id,
        status: 'pending',
        strategy: strategy.name,
        symbol,
        timeframe,
        created_at: now(),
        started_at: null,
        completed_at: null,
        progress: {
          epoch: 0,
          total_epochs: config.epochs,
          batch: 0,
          total_batches: 0,
          progress_percent: 0,
          message: 'Queued',
        },
        metrics: {},
        gpu_usage: null,
        error: null,
        error_code: null,
        model: null,
        simulated: false,
      },
    };
    this.sessions.set(id, session);
    void this.run(session, async () => {
      const loaded = await loadAll(this.options.loadBars, symbols, timeframes, {
        start: input.data_configuration.start_date,
        end: input.data_configuration.end_date,
        signal: session.controller.signal,
      });
      // A stop during the load ends the session here, before any feature or worker is made.
      session.controller.signal.throwIfAborted();
      session.info.simulated = loaded.simulated;
      const prepared = prepareMultiSymbolData(loaded.inputs, strategy);
      // Symbol groups when there are several symbols (they balance batches and split test metrics)
      // or a symbol embedding (it looks each row's symbol up).
      const grouped = symbols.length > 1 || config.symbolEmbedding !== undefined;
      const part = (range: RowRange) => {
        const { groups, ...rows } = sliceRows(prepared, range);
        return { ...rows, features: prepared.columns.length, ...(grouped ? { groups } : {}) };
      };
      const splits: DatasetSplit = {
        train: part(prepared.split.train),
        validation: part(prepared.split.validation),
        test: part(prepared.split.test),
      };
      const [first, last] = timeRange(prepared.times);
      session.task = this.options.pool.submit(
        {
          data: splits,
          config,
          ...(checkpoint === undefined || checkpointFolder === undefined
            ? {}
            : {
                checkpoint: {
                  dir: checkpointFolder,
                  ...(checkpoint.every_epochs === undefined ? {} : { every: checkpoint.every_epochs }),
                  resume: checkpoint.resume === true,
                },
              }),
          options: backend === undefined ? {} : { backend },
          save: {
            modelsDir: this.options.modelsDir,
            strategy: strategy.name,
            symbol,
            timeframe,
            features: {
              names: [...prepared.columns],
              spec: prepared.spec,
              label_counts: prepared.labelCounts,
            },
            strategyConfig: strategy,
            trainedOn: {
              symbols,
              timeframes: prepared.spec.timeframes?.map((p) => p.timeframe) ?? timeframes,
              base_timeframe: prepared.spec.timeframes?.[0]?.timeframe ?? timeframes[0]!,
              warnings: [...(strategy.warnings ?? [])],
            },
            dataRange: {
              start: first === undefined ? '' : new Date(first).toISOString(),
              end: last === undefined ? '' : new Date(last).toISOString(),
              bars: prepared.rows,
            },
            simulated: loaded.simulated,
          },
        },
        {
          id,
          signal: session.controller.signal,
          onProgress: (progress) => this.onProgress(session, progress),
        },
      );
      const { task } = session;
      this.markStarted(session);
      if (session.info.status === 'pending') {
        session.info.progress.message = `Waiting for a free training slot (${this.options.pool.running} of ${this.options.pool.concurrency} busy)`;
        changed(session);
      }
      // When a session ends, the pool hands its slot to the next queued one at once: mark that one started.
      const startQueued = () => this.markQueuedStarted();
      task.result.then(startQueued, startQueued);
      return task.result;
    });
    return id;
  }

  /**
   * A session is `pending` while its bars load and while it waits for a worker slot, and becomes
   * `running` (with `started_at`) when the pool starts training it.
   */
  private markStarted(session: Session): void {
    if (session.info.status !== 'pending' || session.task?.status !== 'running') return;
    session.info.status = 'running';
    session.info.started_at = now();
    session.info.progress.message = 'Starting the training worker';
    changed(session);
  }

  private markQueuedStarted(): void {
    for (const session of this.sessions.values()) this.markStarted(session);
  }

  private async run(session: Session, work: () => Promise<Awaited<TrainingTask['result']>>): Promise<void> {
    const { info } = session;
    try {
      info.progress.message = 'Loading data';
      const outcome = await work();
      const { result, saved } = outcome;
      this.lastBackend = result.backend;
      const bySymbol = bySymbolJson(session.symbols, result.testByGroup);
      info.metrics = {
        history: result.history.map(epochMetricsJson),
        best_epoch: result.bestEpoch,
        stopped_early: result.stoppedEarly,
        epochs_run: result.epochsRun,
        validation: classificationJson(result.validation),
        test: classificationJson(result.test),
        ...(bySymbol === undefined ? {} : { test_by_symbol: bySymbol }),
        samples_per_second: result.samplesPerSecond,
        duration_ms: result.durationMs,
        ...(outcome.resumedFromEpoch === undefined ? {} : { resumed_from_epoch: outcome.resumedFromEpoch }),
      };
      if (saved !== undefined) {
        info.model = {
          name: `${saved.key.strategy}/${saved.key.symbol}_${saved.key.timeframe}_v${saved.version}`,
          version: saved.version,
          path: saved.directory,
          onnx_path: path.join(saved.directory, MODEL_FILES.onnx),
        };
      }
      info.progress = { ...info.progress, progress_percent: 100, message: 'Completed' };
      info.status = 'completed';
    } catch (caught) {
      const error = session.controller.signal.aborted
        ? cancelledError(session)
        : toKtrdrError(caught, 'Training failed');
      info.status = error instanceof CancelledError ? 'stopped' : 'failed';
      info.error = error.message;
      info.error_code = error.code;
      info.progress.message = info.status === 'stopped' ? 'Stopped' : `Failed: ${error.message}`;
    } finally {
      info.completed_at = now();
      changed(session);
    }
  }

  private onProgress(session: Session, progress: TrainingProgress): void {
    const { info } = session;
    this.markStarted(session);
    info.gpu_usage = { backend: progress.backend, gpu: progress.backend === 'tensorflow-gpu' };
    info.progress = {
      epoch: progress.epoch,
      total_epochs: progress.totalEpochs,
      batch: progress.batch,
      total_batches: progress.totalBatches,
      progress_percent: progress.progressPercent,
      message: progress.message,
    };
    if (progress.type === 'epoch') {
      // Appended in place: followers and status answers get copies, and copying the whole history
      // on every epoch is quadratic over a long training.
      const history = info.metrics['history'];
      if (Array.isArray(history)) history.push(epochMetricsJson(progress.metrics));
      else info.metrics = { ...info.metrics, history: [epochMetricsJson(progress.metrics)] };
    }
    progressChanged(session);
  }

  /**
   * Follows a session to its end: `onChange` gets its state now and after every change (progress
   * is pushed as the trainer reports it, nothing polls), and the promise resolves with its final
   * state. Aborting `signal` stops following; the session goes on.
   */
  follow(
    id: string,
    onChange: (info: TrainingSessionInfo) => void,
    signal?: AbortSignal,
  ): Promise<TrainingSessionInfo> {
    const session = this.get(id);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const info = structuredClone(session.info);
        if (info.completed_at === null) {
          try {
            onChange(info);
          } catch (error) {
            // A follower that fails stops following; the session and its other followers go on.
            done();
            reject(error);
          }
          return;
        }
        done();
        resolve(info);
      };
      const onAbort = () => {
        done();
        reject(
          new CancelledError(`Stopped following training session ${id}`, { details: { sessionId: id } }),
        );
      };
      const done = () => {
        session.listeners.delete(listener);
        signal?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      session.listeners.add(listener);
      signal?.addEventListener('abort', onAbort, { once: true });
      listener();
    });
  }

  /** Stops a session at its next batch. */
  stop(id: string): TrainingSessionInfo {
    const session = this.get(id);
    if (session.info.completed_at === null) {
      session.controller.abort(new CancelledError(`Training session ${id} stopped by request`));
      session.task?.cancel('stopped by request');
    }
    return structuredClone(session.info);
  }

  /** A session's status. */
  status(id: string): TrainingSessionInfo {
    const session = this.get(id);
    this.markStarted(session);
    return structuredClone(session.info);
  }

  /** Every known session, newest first. */
  list(): TrainingSessionInfo[] {
    this.markQueuedStarted();
    // Reversed insertion order first, so sessions created within one millisecond stay newest first.
    return [...this.sessions.values()]
      .reverse()
      .map((s) => structuredClone(s.info))
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
  }

  /** Sessions not finished yet. */
  get activeSessions(): number {
    return [...this.sessions.values()].filter((s) => s.info.completed_at === null).length;
  }

  /** The pool's concurrency limit. */
  get maxConcurrentSessions(): number {
    return this.options.pool.concurrency;
  }

  /** The backend the last session trained on (or the configured one). */
  get backend(): string {
    return this.lastBackend;
  }

  /** Stops every session and closes the worker pool. */
  async close(): Promise<void> {
    for (const session of this.sessions.values())
      if (session.info.completed_at === null) this.stop(session.info.session_id);
    await this.options.pool.close();
  }

  private get(id: string): Session {
    const session = this.sessions.get(id);
    if (session === undefined) {
      throw new NotFoundError(`No training session ${id}`, { details: { sessionId: id } });
    }
    return session;
  }

  private prune(): void {
    const finished = [...this.sessions.values()].filter((s) => s.info.completed_at !== null);
    for (const session of finished.slice(0, Math.max(0, finished.length - this.maxFinished))) {
      this.sessions.delete(session.info.session_id);
    }
  }
}

/** Tells the session's followers that its state changed. */
function changed(session: Session): void {
  clearTimeout(session.pendingNotice);
  session.pendingNotice = undefined;
  session.notifiedAt = performance.now();
  for (const listener of [...session.listeners]) listener();
}

/**
 * Followers hear of progress at most this often; every epoch still lands in the history. A small
 * model trains an epoch in a millisecond or two, and a notice per epoch (each follower copies the
 * session's state) kept a server's event loop busy enough to miss its own sockets and signals.
 */
const PROGRESS_NOTICE_MS = 100;

/** {@link changed} for progress: at once when the last notice is old enough, else once, a little later. */
function progressChanged(session: Session): void {
  const wait = session.notifiedAt + PROGRESS_NOTICE_MS - performance.now();
  if (wait <= 0) changed(session);
  else session.pendingNotice ??= setTimeout(() => changed(session), wait);
}

/** The TF.js backend a request asked for; `undefined` for automatic. */
function backendOf(requested: string | undefined): TfBackendName | undefined {
  if (requested === undefined || requested === 'auto') return undefined;
  if (!(TF_BACKENDS as readonly string[]).includes(requested)) {
    throw new ValidationError(
      `gpu_configuration.backend '${requested}' is not a TF.js backend: use auto or one of ${TF_BACKENDS.join(', ')}`,
      { details: { field: 'gpu_configuration.backend' } },
    );
  }
  return requested as TfBackendName;
}

function cancelledError(session: Session): KtrdrError {
  const reason: unknown = session.controller.signal.reason;
  return reason instanceof KtrdrError
    ? reason
    : new CancelledError(`Training session ${session.info.session_id} stopped`);
}
