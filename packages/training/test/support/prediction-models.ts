import type { PredictInput } from '../../src/onnx/predict';
import type { Activation } from '../../src/model/mlp-config';
import type { MlpWeights } from '../../src/model/mlp-weights';
import { featureCount } from '../../src/model/mlp-weights';
import { initMlpWeights } from '../../src/trainer/init-mlp-weights';

/** Rows per prediction: more than one chunk of the fused engine (1024) and not a multiple of 4. */
export const PREDICTION_ROWS = 1030;

/**
 * Models of every activation, plus one with a symbol embedding, with non-zero biases (a mis-wired
 * bias would show). Deterministic, so two processes build the same ones.
 */
export function predictionModels(): { weights: MlpWeights; symbols?: number }[] {
  const activations: Activation[] = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'];
  const models: { weights: MlpWeights; symbols?: number }[] = activations.map((activation, i) => ({
    weights: initMlpWeights(7, { hiddenLayers: [12, 5], activation, dropout: 0.2, seed: 11 + i }),
  }));
  models.push({
    weights: initMlpWeights(6, {
      hiddenLayers: [8],
      activation: 'relu',
      dropout: 0,
      seed: 5,
      symbolEmbedding: { dim: 3, symbols: 4 },
    }),
    symbols: 4,
  });
  for (const { weights } of models)
    weights.layers.forEach((l) => l.bias.forEach((_, i) => (l.bias[i] = 0.1 * (i % 3) - 0.1)));
  return models;
}

/** {@link PREDICTION_ROWS} rows of inputs for `weights` (and symbol indexes for an embedding model). */
export function predictionInputs(weights: MlpWeights, symbols?: number): PredictInput {
  const features = featureCount(weights);
  const x = new Float32Array(PREDICTION_ROWS * features);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 1.7) * 3;
  return {
    x,
    rows: PREDICTION_ROWS,
    ...(symbols === undefined
      ? {}
      : { symbols: Int32Array.from({ length: PREDICTION_ROWS }, (_, r) => r % symbols) }),
  };
}
