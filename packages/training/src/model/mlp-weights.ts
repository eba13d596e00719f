import { ValidationError } from '@ktrdr/core';
import { type Activation, OUTPUT_UNITS } from './mlp-config';

/** Weights of one dense layer, in the TF.js/Keras layout. */
export interface DenseLayerWeights {
  inputSize: number;
  units: number;
  /** `inputSize x units`, row-major: `kernel[i * units + j]` connects input `i` to unit `j`. */
  kernel: Float32Array;
  /** One per unit. */
  bias: Float32Array;
}

/**
 * A trained (or freshly initialised) MLP: hidden dense layers with `activation` (dropout between
 * them during training only), then a 3-unit softmax layer. This is the one representation every
 * engine, the TF.js model files and the ONNX graph are made from.
 */
export interface MlpWeights {
  inputSize: number;
  activation: Activation;
  /** Dropout rate used in training; kept so the saved TF.js topology matches the trained network. */
  dropout: number;
  /** Hidden layers in order, then the output layer (3 units, softmax). */
  layers: DenseLayerWeights[];
  /**
   * Symbol embedding of a "universal" multi-symbol model: the last `dim` of the `inputSize` inputs
   * are row `symbol` of `table` (`symbols x dim`, row-major), looked up from each row's symbol
   * index; the features proper are the first `inputSize - dim`.
   */
  embedding?: SymbolEmbeddingWeights;
}

/** A learned symbol embedding table. */
export interface SymbolEmbeddingWeights {
  dim: number;
  /** `symbols x dim`, row-major. */
  table: Float32Array;
  /** Symbol names in table row order, once known (the model store records them). */
  symbols?: string[];
}

/** Feature count of a model's inputs, without its symbol embedding. */
export function featureCount(weights: MlpWeights): number {
  return weights.inputSize - (weights.embedding?.dim ?? 0);
}

/** Layer sizes `[input, ...hidden, 3]`. */
export function layerSizes(inputSize: number, hiddenLayers: readonly number[]): number[] {
  return [inputSize, ...hiddenLayers, OUTPUT_UNITS];
}

/** A deep copy (snapshots for early stopping must not alias live buffers). */
export function cloneMlpWeights(weights: MlpWeights): MlpWeights {
  return {
    ...weights,
    layers: weights.layers.map((l) => ({ ...l, kernel: l.kernel.slice(), bias: l.bias.slice() })),
    ...(weights.embedding === undefined
      ? {}
      : { embedding: { ...weights.embedding, table: weights.embedding.table.slice() } }),
  };
}

/** Throws a {@link ValidationError} unless the layers chain up from `inputSize` to 3 outputs. */
export function validateMlpWeights(weights: MlpWeights): void {
  let expected = weights.inputSize;
  weights.layers.forEach((layer, i) => {
    const field = `layers[${i}]`;
    if (layer.inputSize !== expected) {
      throw new ValidationError(
        `Model weights: ${field} takes ${layer.inputSize} inputs, expected ${expected}`,
        {
          details: { field },
        },
      );
    }
    if (layer.kernel.length !== layer.inputSize * layer.units || layer.bias.length !== layer.units) {
      throw new ValidationError(
        `Model weights: ${field} kernel/bias sizes do not match ${layer.inputSize}x${layer.units}`,
        {
          details: { field },
        },
      );
    }
    expected = layer.units;
  });
  const embedding = weights.embedding;
  if (
    embedding !== undefined &&
    (!(embedding.dim >= 1 && embedding.dim < weights.inputSize) ||
      embedding.table.length === 0 ||
      embedding.table.length % embedding.dim !== 0 ||
      (embedding.symbols !== undefined &&
        embedding.symbols.length * embedding.dim !== embedding.table.length))
  ) {
    throw new ValidationError('Model weights: the symbol embedding table does not match its width', {
      details: { field: 'embedding' },
    });
  }
  if (weights.layers.length < 1 || expected !== OUTPUT_UNITS) {
    throw new ValidationError(`Model weights: the last layer must have ${OUTPUT_UNITS} units`, {
      details: { field: 'layers' },
    });
  }
}
