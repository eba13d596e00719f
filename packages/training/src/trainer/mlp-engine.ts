import type { DatasetSplit } from '../model/dataset';
import type { MlpWeights } from '../model/mlp-weights';

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
  dispose(): void;
}
