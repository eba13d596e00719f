import type { MlpConfig } from '../model/mlp-config';
import { featureCount, type MlpWeights } from '../model/mlp-weights';
import { FusedMlpEngine } from '../trainer/fused/fused-mlp-engine';

/**
 * Inference on ktrdr's own fused engine (WebAssembly SIMD kernels, plain JavaScript where SIMD is
 * missing): the forward pass the trainer evaluates with, on a trained model's weights. It needs no
 * native library, so `predict` runs on it when `onnxruntime-node` is not installed; its
 * probabilities equal ONNX Runtime's within float32 rounding (the tests compare them).
 */
export class FusedPredictor {
  private readonly engine: FusedMlpEngine;
  private readonly features: number;

  constructor(weights: MlpWeights) {
    this.features = featureCount(weights);
    const embedding = weights.embedding;
    // Only the shapes matter for inference; the training settings are never used.
    const config: MlpConfig = {
      hiddenLayers: weights.layers.slice(0, -1).map((layer) => layer.units),
      activation: weights.activation,
      dropout: 0,
      learningRate: 0,
      batchSize: 1,
      epochs: 1,
      optimizer: 'sgd',
      seed: 0,
      ...(embedding === undefined
        ? {}
        : { symbolEmbedding: { dim: embedding.dim, symbols: embedding.table.length / embedding.dim } }),
    };
    const noRows = { x: new Float32Array(0), y: new Int32Array(0), rows: 0, features: this.features };
    this.engine = new FusedMlpEngine(noRows, config, null);
    this.engine.setWeights(weights);
  }

  /** `rows x 3` class probabilities of `rows` rows (row-major), `symbols` for an embedding model. */
  async run(x: Float32Array, rows: number, symbols?: Int32Array): Promise<Float32Array> {
    const split = {
      x,
      y: new Int32Array(rows),
      rows,
      features: this.features,
      ...(symbols === undefined ? {} : { groups: symbols }),
    };
    return (await this.engine.evaluate(split)).probabilities;
  }
}
