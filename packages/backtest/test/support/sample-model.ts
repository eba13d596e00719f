import {
  type LoadedModel,
  type MlpWeights,
  type OhlcvColumns,
  buildFeatures,
  loadStrategyFile,
  sampleStrategyPath,
} from '@ktrdr/training';
import { seededRandom } from './random-walk-bars';

/**
 * The sample strategy's features fitted on `bars`, with seeded random weights (one hidden layer):
 * a real model's inputs and inference path, without a training run. `trainedOn` is the data range
 * its metadata records.
 */
export async function sampleModel(
  bars: OhlcvColumns,
  trainedOn: { start: string; end: string } = { start: '2020-01-01T00:00:00Z', end: '2020-06-01T00:00:00Z' },
): Promise<LoadedModel> {
  const strategy = await loadStrategyFile(sampleStrategyPath());
  const built = buildFeatures(bars, strategy);
  const inputs = built.columns.length;
  const random = seededRandom(7);
  const layer = (inputSize: number, units: number) => ({
    inputSize,
    units,
    kernel: Float32Array.from({ length: inputSize * units }, () => (random() * 2 - 1) * 0.8),
    bias: Float32Array.from({ length: units }, () => (random() * 2 - 1) * 0.2),
  });
  const weights: MlpWeights = {
    inputSize: inputs,
    activation: 'relu',
    dropout: 0,
    layers: [layer(inputs, 16), layer(16, 3)],
  };
  const key = { strategy: strategy.name, symbol: 'AAPL', timeframe: '1h' };
  // No `directory`: predict builds the ONNX graph from the weights rather than reading model.onnx.
  return {
    key,
    version: 1,
    latest: true,
    weights,
    featureNames: [...built.columns],
    features: { feature_names: [...built.columns], spec: built.spec },
    config: { strategy_config: strategy },
    metrics: {},
    metadata: {
      ...key,
      version: 1,
      created_at: '2024-01-01T00:00:00Z',
      model_type: 'mlp',
      format: 'tfjs-layers',
      onnx_file: 'model.onnx',
      onnx_opset: 13,
      backend: 'cpu-fused',
      engine: 'fused',
      engine_details: {},
      feature_count: inputs,
      classes: ['BUY', 'HOLD', 'SELL'],
      data_range: trainedOn,
      simulated: true,
      training: { epochs_run: 1, best_epoch: 1, stopped_early: false, duration_ms: 1, samples_per_second: 1 },
      test_accuracy: null,
    },
  } as unknown as LoadedModel;
}
