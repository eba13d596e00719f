import type { MlpConfig } from '../model/mlp-config';
import { type DenseLayerWeights, layerSizes, type MlpWeights } from '../model/mlp-weights';
import { deriveSeed, RANDOM_STREAMS, SeededRandom } from './seeded-random';

/**
 * Glorot-uniform kernels and zero biases (the Keras defaults), drawn from the config's seed so
 * every engine starts from the very same weights.
 */
export function initMlpWeights(
  features: number,
  config: Pick<MlpConfig, 'hiddenLayers' | 'activation' | 'dropout' | 'seed' | 'symbolEmbedding'>,
): MlpWeights {
  const random = new SeededRandom(deriveSeed(config.seed, RANDOM_STREAMS.init));
  const embedding = config.symbolEmbedding;
  const inputSize = features + (embedding?.dim ?? 0);
  const sizes = layerSizes(inputSize, config.hiddenLayers);
  const layers: DenseLayerWeights[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (random.nextFloat() * 2 - 1) * limit;
    layers.push({ inputSize: fanIn, units: fanOut, kernel, bias: new Float32Array(fanOut) });
  }
  const weights: MlpWeights = { inputSize, activation: config.activation, dropout: config.dropout, layers };
  if (embedding !== undefined) {
    // Keras' Embedding default: uniform in [-0.05, 0.05], drawn after the kernels.
    const table = new Float32Array(embedding.symbols * embedding.dim);
    for (let i = 0; i < table.length; i++) table[i] = (random.nextFloat() * 2 - 1) * 0.05;
    weights.embedding = { dim: embedding.dim, table };
  }
  return weights;
}
