import type { DatasetSplit } from '../model/dataset';
import type { MlpWeights } from '../model/mlp-weights';
import type { OptimizerState } from './training-checkpoint';

/** The engines an MLP can be trained with. */
export type EngineName = 'cpu-fused' | 'tfjs';

/** Loss, predicted classes and class probabilities of a forward pass in inference mode. */
export interface Evaluation {
  /** Mean cross-entropy. */
  loss: number;
  /** Argmax class per row. */
  predictions: Int32Array;
  /** `rows x 3` softmax outputs, row-major. */
  probabilities: Float32Array;
}

/** Running training loss and accuracy of the current epoch (batch-size weighted, as Keras reports). */
export interface EpochTrainStats {
  loss: number;
  accuracy: number;
}

/**
 * What the shared training loop needs from an engine. The loop owns epochs, shuffling, the
 * schedule, early stopping, cancellation and progress; an engine owns the arithmetic.
 * @internal
 */
export interface MlpEngine {
  readonly engine: EngineName;
  /** Backend reported in metadata and progress (`cpu-fused` engine: `cpu-fused`). */
  readonly backend: string;
  /** Details such as the kernel flavour (`wasm-simd`, `js`). */
  readonly details: Record<string, string>;
  setLearningRate(learningRate: number): void;
  /** Starts an epoch over the training rows in `order`. */
  beginEpoch(order: Uint32Array): void;
  /** One optimiser step on `order[start .. start + count)`; returns the batch loss when it is free to read. */
  trainBatch(start: number, count: number): number | undefined;
  endEpoch(): Promise<EpochTrainStats>;
  evaluate(split: DatasetSplit): Promise<Evaluation>;
  getWeights(): Promise<MlpWeights>;
  setWeights(weights: MlpWeights): void;
  /** Optimizer state (step count, moments) for a checkpoint. */
  getOptimizerState(): Promise<OptimizerState>;
  /** Restores what `getOptimizerState` of an engine of the same kind and shape returned. */
  setOptimizerState(state: OptimizerState): Promise<void>;
  dispose(): void;
}

/**
 * Scores one row of an {@link Evaluation} from its three logits: the softmax goes to
 * `into.probabilities` at `row * 3`, the arg-max to `into.predictions[row]`, and the row's
 * cross-entropy against `label` is returned, computed from the max-shifted logits so that it stays
 * finite. Every engine evaluates through it, so equal logits give equal evaluations.
 */
export function scoreRow(
  into: Pick<Evaluation, 'predictions' | 'probabilities'>,
  row: number,
  z0: number,
  z1: number,
  z2: number,
  label: number,
): number {
  const max = Math.max(z0, z1, z2);
  const e0 = Math.exp(z0 - max), e1 = Math.exp(z1 - max), e2 = Math.exp(z2 - max); // prettier-ignore
  const sum = e0 + e1 + e2;
  into.probabilities[row * 3] = e0 / sum;
  into.probabilities[row * 3 + 1] = e1 / sum;
  into.probabilities[row * 3 + 2] = e2 / sum;
  into.predictions[row] = e0 >= e1 ? (e0 >= e2 ? 0 : 2) : e1 >= e2 ? 1 : 2;
  return Math.log(sum) - ((label === 0 ? z0 : label === 1 ? z1 : z2) - max);
}
