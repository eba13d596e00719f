import type { MlpConfig } from '../model/mlp-config';
import type { MlpWeights } from '../model/mlp-weights';
import type { EngineName } from './mlp-engine';
import type { EpochMetrics } from './training-types';

/** A tensor of optimizer state (a moment, a mean square, a step counter), row-major. */
export interface OptimizerTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * An engine's optimizer state: the step count and every slot tensor (Adam's two moments per
 * variable, RMSprop's mean square), in the engine's own order. Only the engine that wrote it can
 * read it back.
 */
export interface OptimizerState {
  engine: EngineName;
  step: number;
  tensors: OptimizerTensor[];
}

/** The training loop's own state between epochs (shuffles, dropout draws, early stopping). */
export interface LoopState {
  /** Generator state of the shuffle stream. */
  shuffleState: number;
  /** The row order as the last epoch left it: every epoch reshuffles it in place. */
  order: Uint32Array;
  /** Balanced batches (several symbols): each symbol's row order and cursor. */
  balanced?: { members: Uint32Array[]; cursors: number[] };
  /** Generator state of the dropout stream, when dropout is on. */
  dropoutState?: number;
  /** Early stopping: best value, its 0-based epoch (-1: none yet), epochs waited since. */
  early?: { best: number; bestEpoch: number; waited: number };
  /** The best epoch's weights so far (early stopping), restored at the end of the run. */
  bestWeights?: MlpWeights;
  /** Milliseconds spent in batch loops so far (for samples per second). */
  trainMs: number;
}

/**
 * Everything needed to continue a training run after its epoch `epoch` as if it had never
 * stopped: weights, optimizer state, loop state and the metrics history so far.
 */
export interface TrainingCheckpoint {
  /** Format version of this record. */
  version: 1;
  /** Epochs completed (1-based count); a resumed run starts at epoch `epoch + 1`. */
  epoch: number;
  /** The run's configuration: a resume with another configuration is refused. */
  config: MlpConfig;
  /** Training rows and features, checked on resume (the data must be the same). */
  rows: number;
  features: number;
  /** SHA-256 of the training split (inputs, labels, symbols): a resume on other data is refused. */
  dataHash: string;
  weights: MlpWeights;
  optimizer: OptimizerState;
  loop: LoopState;
  history: EpochMetrics[];
  /** ISO time it was taken. */
  createdAt: string;
}

/**
 * Where checkpoints of one run go: the latest one wins. `FileCheckpointStore` keeps it in a
 * folder; a worker may keep it in Redis or object storage by implementing these two methods over
 * {@link serializeCheckpoint}'s bytes.
 */
export interface CheckpointStore {
  /** Stores `checkpoint`, replacing the previous one atomically (a reader sees one or the other). */
  save(checkpoint: TrainingCheckpoint): Promise<void>;
  /** The latest checkpoint, or null when none was taken. */
  load(): Promise<TrainingCheckpoint | null>;
}

/** Checkpoint options of `trainMlp`. */
export interface CheckpointOptions {
  store: CheckpointStore;
  /** Take a checkpoint after every this many epochs (default 1: see `DEFAULT_CHECKPOINT_EVERY`). */
  every?: number;
}

/**
 * Default checkpoint period in epochs: every epoch. A checkpoint of a typical model (tens of KB of
 * weights plus twice that of Adam moments, plus the row order) costs well under a millisecond to
 * build and a few ms to write, against seconds per epoch.
 */
export const DEFAULT_CHECKPOINT_EVERY = 1;
