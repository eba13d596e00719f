import type { LayersModel, Sequential } from '@tensorflow/tfjs-layers';
import type { Tf } from '../backend/tf-backend';
import { OUTPUT_UNITS } from './mlp-config';
import type { DenseLayerWeights, MlpWeights } from './mlp-weights';
import { validateMlpWeights } from './mlp-weights';

/**
 * The TF.js (Keras-compatible) model of an MLP: `dense(activation)` + `dropout` per hidden layer,
 * then `dense(3, softmax)`. This is what `model.json`/`weights.bin` hold on disk.
 */
export function buildTfjsModel(tf: Tf, weights: MlpWeights): Sequential {
  validateMlpWeights(weights);
  const model = tf.sequential({ name: 'ktrdr_mlp' });
  const last = weights.layers.length - 1;
  weights.layers.forEach((layer, i) => {
    model.add(
      tf.layers.dense({
        name: i === last ? 'output' : `dense_${i}`,
        units: layer.units,
        activation: i === last ? 'softmax' : weights.activation,
        // The weights are overwritten at once; zeros skip a pointless random initialisation.
        kernelInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [weights.inputSize] } : {}),
      }),
    );
    if (i < last && weights.dropout > 0)
      model.add(tf.layers.dropout({ name: `dropout_${i}`, rate: weights.dropout }));
  });
  setTfjsWeights(tf, model, weights);
  return model;
}

/** Loads `weights` into a model built by {@link buildTfjsModel}. */
export function setTfjsWeights(tf: Tf, model: LayersModel, weights: MlpWeights): void {
  const tensors = weights.layers.flatMap((l) => [
    tf.tensor2d(l.kernel, [l.inputSize, l.units]),
    tf.tensor1d(l.bias),
  ]);
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

/**
 * Reads an MLP back from a TF.js model (one saved by this package): its dense layers' kernels and
 * biases, activation and dropout rate.
 */
export function mlpWeightsFromTfjsModel(model: LayersModel): MlpWeights {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const dropoutLayer = model.layers.find((l) => l.getClassName() === 'Dropout');
  const layers: DenseLayerWeights[] = dense.map((layer) => {
    const [kernel, bias] = layer.getWeights();
    if (kernel === undefined || bias === undefined) throw new Error(`Dense layer ${layer.name} has no bias`);
    const [inputSize, units] = kernel.shape as [number, number];
    return {
      inputSize,
      units,
      kernel: Float32Array.from(kernel.dataSync()),
      bias: Float32Array.from(bias.dataSync()),
    };
  });
  const first = dense[0];
  const config = (first?.getConfig() ?? {}) as { activation?: string };
  const weights: MlpWeights = {
    inputSize: layers[0]?.inputSize ?? 0,
    activation: (dense.length > 1 ? config.activation : 'relu') as MlpWeights['activation'],
    dropout:
      dropoutLayer === undefined ? 0 : Number((dropoutLayer.getConfig() as { rate?: number }).rate ?? 0),
    layers,
  };
  validateMlpWeights(weights);
  if (layers[layers.length - 1]!.units !== OUTPUT_UNITS) throw new Error('not a 3-class model');
  return weights;
}
