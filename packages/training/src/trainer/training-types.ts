import type { TfBackendName } from '../backend/tf-backend-names';
import type { MlpConfig } from '../model/mlp-config';
import type { MlpWeights } from '../model/mlp-weights';
import type { ClassificationMetrics } from './classification-metrics';
import type { CheckpointOptions, TrainingCheckpoint } from './training-checkpoint';
import type { KernelPreference } from './fused/fused-mlp-engine';
import type { TrainingThreads } from './fused/training-threads';
import type { EngineName } from './mlp-engine';

/** Metrics of one epoch (the reference system's per-epoch record). */
export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  /** Mean training loss and accuracy over the epoch, measured in training mode (dropout on). */
  loss: number;
  accuracy: number;
  /** Present when a validation split was given. */
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
  durationMs: number;
}

interface ProgressBase {
  /** 1-based epoch. */
  epoch: number;
  totalEpochs: number;
  /** 1-based batch within the epoch (for `epoch` events: the number of batches). */
  batch: number;
  totalBatches: number;
  /** Overall completion, 0-100. */
  progressPercent: number;
  /** Backend doing the arithmetic (`cpu-fused`, `tensorflow-gpu`, `tensorflow`, `wasm`, `cpu`). */
  backend: string;
  engine: EngineName;
  /** Human-readable one-liner, e.g. `Epoch 3/50, batch 120/391, loss 0.8123`. */
  message: string;
}

/** Reported after a batch (every `batchProgressEvery` batches). */
export interface BatchProgress extends ProgressBase {
  type: 'batch';
  /** The batch's loss when the engine had it at hand (the TF.js engine syncs only every few batches). */
  loss?: number;
}

/** Reported after each epoch, with its metrics. */
export interface EpochProgress extends ProgressBase {
  type: 'epoch';
  metrics: EpochMetrics;
}

/** A progress event. */
export type TrainingProgress = BatchProgress | EpochProgress;

/** Options of `trainMlp`. */
export interface TrainMlpOptions {
  /** Cancels at the next batch with a `CancelledError`. */
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
  /**
   * `cpu-fused` (hand-written kernels, fastest on CPU), `tfjs` (TensorFlow.js on the selected
   * backend), or `auto` (default): `tfjs` when a native TF.js backend is installed or a backend is
   * forced (`backend` option or `KTRDR_TF_BACKEND`), else `cpu-fused`.
   */
  engine?: 'auto' | EngineName;
  /** TF.js backend for the `tfjs` engine (default `KTRDR_TF_BACKEND`, else automatic). */
  backend?: TfBackendName | 'auto';
  /** Kernels of the `cpu-fused` engine (default `auto`: WebAssembly SIMD when available). */
  kernels?: KernelPreference;
  /**
   * Threads of the `cpu-fused` engine (default `KTRDR_TRAINING_THREADS`, else 1): 2 splits every
   * batch between this thread and a worker thread: faster only where a second core is free.
   * Weights are bit-identical per seed for a given thread count; 1 and 2 differ by float32
   * rounding. `auto`: 2 on a machine with 2 or more cores. The `tfjs` engine uses one.
   */
  threads?: TrainingThreads;
  /** Emit a batch event every this many batches (default 1). Epoch events are always emitted. */
  batchProgressEvery?: number;
  /**
   * Yield to the event loop at least this often, in ms (default 20), so timers, I/O and messages
   * are served while training runs on the calling thread.
   */
  yieldEveryMs?: number;
  /**
   * Cancellation flag shared with another thread (`Atomics.store(flag, 0, 1)` cancels): how a
   * worker's host stops training at the very next batch even while the worker's loop is busy.
   */
  cancelFlag?: Int32Array;
  /** Save a checkpoint every few epochs (see `CheckpointOptions`). */
  checkpoint?: CheckpointOptions;
  /** Called after each checkpoint is stored, with its epoch (1-based count of epochs done). */
  onCheckpoint?: (epoch: number) => void;
  /**
   * Continue the run a checkpoint was taken of, from its next epoch. The data, configuration and
   * engine must be the ones it was taken with.
   */
  resumeFrom?: TrainingCheckpoint;
}

/** What a training run produced. */
export interface TrainingResult {
  /** Final weights: the best epoch's when early stopping is configured. */
  weights: MlpWeights;
  config: MlpConfig;
  /** Feature count of the inputs. */
  features: number;
  history: EpochMetrics[];
  /** Metrics of the final weights on the validation and test splits, when given. */
  validation?: ClassificationMetrics;
  test?: ClassificationMetrics;
  /**
   * Test metrics per group (symbol index) when the test split carries `groups`; null for a group
   * with no test rows.
   */
  testByGroup?: (ClassificationMetrics | null)[];
  /** 1-based epoch whose weights were kept (early stopping), else the last epoch. */
  bestEpoch: number;
  stoppedEarly: boolean;
  epochsRun: number;
  engine: EngineName;
  backend: string;
  /** Engine details, e.g. `{ kernels: 'wasm-simd' }`. */
  details: Record<string, string>;
  /** Wall time of the whole run. */
  durationMs: number;
  /** Training samples per second in the batch loops (evaluation excluded). */
  samplesPerSecond: number;
}
