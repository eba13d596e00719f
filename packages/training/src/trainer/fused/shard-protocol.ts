import type { DatasetSplit } from '../../model/dataset';
import type { MlpConfig } from '../../model/mlp-config';
import type { KernelPreference } from './fused-mlp-engine';

/**
 * The handshake between the two-thread fused engine (main side, `ParallelFusedMlpEngine`) and its
 * shard worker, over shared memory: a postMessage round trip costs tens of microseconds, a batch's
 * share of work little more than a hundred, so a batch is a few words and `Atomics.wait`/`notify`.
 *
 * Per batch: the main side publishes the weights and the batch, bumps `seq`, and computes the
 * first share of the rows. The second share goes to whoever claims it first (compare-and-swap on
 * `claim`): the worker, which publishes its gradients and sets `workerDone`, or the main side
 * itself when the worker has not woken up by then (a busy machine). Either way the same
 * gradients are summed in the same way, so the result does not depend on who computed what.
 */

/** Slots of the control words (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = {
  /** The batch number: the main side bumps it once the batch is published. */
  seq: 0,
  /** The last batch whose second share was claimed (by either side). */
  claim: 1,
  /** The last batch whose second share the worker finished (its gradients are published). */
  workerDone: 2,
  /** Bumped by the main side when an epoch's row order is published. */
  epoch: 3,
  /** 1: the worker is to return. */
  stop: 4,
  /** 1 once the worker failed; its message is in the error bytes. */
  failed: 5,
  size: 8,
} as const;

/** Slots of the batch parameters (a Float64Array over a SharedArrayBuffer). */
export const PARAM = {
  start: 0,
  count: 1,
  /** The second share: rows `lo .. hi` of the batch. */
  lo: 2,
  hi: 3,
  /** The dropout generator's state at the start of the batch. */
  dropoutState: 4,
  orderLength: 5,
  /** The worker's share: summed loss and correct rows. */
  lossSum: 6,
  correct: 7,
  size: 8,
} as const;

/** Bytes of the worker's error message (UTF-8, truncated). */
export const ERROR_BYTES = 2048;

/** Spins on a control word this many times before sleeping in `Atomics.wait` (a share takes ~100 us). */
export const SPINS = 20_000;

/** `workerData` of the shard worker. */
export interface ShardWorkerData {
  train: DatasetSplit;
  config: MlpConfig;
  kernels: KernelPreference;
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  /** Float32: the weights of the current batch. */
  weights: SharedArrayBuffer;
  /** Float32: the worker's gradients. */
  gradients: SharedArrayBuffer;
  /** Uint32: the epoch's row order. */
  order: SharedArrayBuffer;
  error: SharedArrayBuffer;
  /** For the development bootstrap (sources under tsx/vitest). */
  tsxEntry?: string;
}

/** Claims the second share of batch `seq` for the caller; false when the other side has it. */
export function claimShare(control: Int32Array, seq: number): boolean {
  const last = Atomics.load(control, CONTROL.claim);
  return last < seq && Atomics.compareExchange(control, CONTROL.claim, last, seq) === last;
}
