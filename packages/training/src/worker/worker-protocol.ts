import type { SerializedKtrdrError } from '@ktrdr/core';
import type { TrainingData } from '../model/dataset';
import type { MlpConfig } from '../model/mlp-config';
import type { SaveModelInput, StoredModelInfo } from '../storage/model-store';
import type { TrainingProgress, TrainingResult, TrainMlpOptions } from '../trainer/training-types';

/** Where and as what to save the model when training succeeds (saving happens in the worker). */
export interface TrainingJobSave extends Omit<SaveModelInput, 'result'> {
  /** The models folder (default `KTRDR_MODELS_DIR`, else `./models`, resolved in the host's cwd). */
  modelsDir?: string;
}

/**
 * Epoch checkpoints of a job, kept in a folder (the worker writes them itself, so each is on disk
 * before training goes on).
 */
export interface TrainingJobCheckpoint {
  /** The checkpoint folder (one run's; `checkpoint.json` in it is the latest checkpoint). */
  dir: string;
  /** Epochs between checkpoints (default `DEFAULT_CHECKPOINT_EVERY`). */
  every?: number;
  /**
   * Continue from the checkpoint in `dir` when there is one (a run that was killed); without one
   * the run starts from epoch 1. The job's data and configuration must be the run's.
   */
  resume?: boolean;
}

/** One training session's work. */
export interface TrainingJob {
  data: TrainingData;
  config: MlpConfig;
  /** Engine, backend, kernel and thread choices and the batch-event stride (see `TrainMlpOptions`). */
  options?: Pick<TrainMlpOptions, 'engine' | 'backend' | 'kernels' | 'threads' | 'batchProgressEvery'>;
  /** Save the trained model (TF.js files, ONNX, JSON files) before reporting completion. */
  save?: TrainingJobSave;
  /** Take epoch checkpoints, and resume from the latest one. */
  checkpoint?: TrainingJobCheckpoint;
}

/** What a successful session produced. */
export interface TrainingJobOutcome {
  result: TrainingResult;
  /** Present when the job asked to be saved. */
  saved?: StoredModelInfo;
  /** The checkpoint epoch the run resumed after, when it resumed. */
  resumedFromEpoch?: number;
}

/** Host to worker. @internal */
export type HostMessage =
  | { type: 'start'; job: TrainingJob; cancelFlag: SharedArrayBuffer; progressIntervalMs: number }
  | { type: 'cancel' };

/** Worker to host. @internal */
export type WorkerMessage =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'done'; outcome: TrainingJobOutcome }
  | { type: 'error'; error: SerializedKtrdrError };
