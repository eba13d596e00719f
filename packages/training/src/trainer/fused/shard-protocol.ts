import type { DatasetSplit } from '../../model/dataset';
import type { MlpConfig } from '../../model/mlp-config';
import type { KernelPreference } from './fused-mlp-engine';

/**
 * The handshake between a two-thread fused engine (main side, `ParallelFusedMlpEngine`) and its
 * shard worker, over shared memory: a postMessage round trip costs tens of microseconds, a whole
 * batch's share of work little more than a hundred, so each batch is one command word, two
 * counters and `Atomics.wait`/`notify`.
 */

/** Slots of the control words (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = {
  /** Command sequence number: the main side bumps it to issue `command`. */
  seq: 0,
  command: 1,
  /** Set by the worker to a command's `seq` once it is done (for `train`: its gradients are written). */
  workerDone: 2,
  /** Set by the main side to a `train` command's `seq` once its own gradients are written. */
  mainGradients: 3,
  /** 1 once the worker failed; its message is in the error bytes. */
  failed: 4,
  size: 8,
} as const;

/** What the worker is asked to do. */
export const COMMAND = {
  /** Take the epoch's row order from the shared order array (`orderLength` rows). */
  beginEpoch: 1,
  /** Compute rows `lo .. hi` of a batch, publish them, add the main side's and step. */
  train: 2,
  /** Load weights and optimizer state from the shared state array, and the step count. */
  load: 3,
  /** Return from the loop (the thread then ends). */
  stop: 4,
} as const;

/** Slots of the command parameters (a Float64Array over a SharedArrayBuffer). */
export const PARAM = {
  start: 0,
  count: 1,
  lo: 2,
  hi: 3,
  /** The dropout generator's state at the start of the batch. */
  dropoutState: 4,
  learningRate: 5,
  orderLength: 6,
  steps: 7,
  /** The worker's share of the batch: summed loss and correct rows. */
  lossSum: 8,
  correct: 9,
  size: 16,
} as const;

/** Bytes of the worker's error message (UTF-8, truncated). */
export const ERROR_BYTES = 2048;

/** `workerData` of the shard worker. */
export interface ShardWorkerData {
  train: DatasetSplit;
  config: MlpConfig;
  kernels: KernelPreference;
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  /** Float32: the worker's gradients, then the main side's, twice (even and odd batches). */
  gradients: SharedArrayBuffer;
  /** Float32: weights and optimizer state for `load`. */
  state: SharedArrayBuffer;
  /** Uint32: the epoch's row order. */
  order: SharedArrayBuffer;
  error: SharedArrayBuffer;
  /** For the development bootstrap (sources under tsx/vitest). */
  tsxEntry?: string;
}

/** Where the main side's gradients of batch `seq` go: alternate halves, so the next batch's never overwrite ones the worker may still be reading. */
export function mainGradientsAt(seq: number, size: number): number {
  return size * (1 + (seq % 2));
}
