import * as ort from 'onnxruntime-node';
import { exportMlpToOnnx } from '../packages/training/src/onnx/onnx-export';
import { initMlpWeights } from '../packages/training/src/model/mlp-weights';
const w = initMlpWeights(5, { hiddenLayers: [7, 4], activation: 'tanh', dropout: 0.1, seed: 3 });
const bytes = exportMlpToOnnx(w, { metadata: { a: 'b' } });
const s = await ort.InferenceSession.create(bytes);
console.log(s.inputNames, s.outputNames);
const r = await s.run({ features: new ort.Tensor('float32', new Float32Array(10).fill(0.5), [2, 5]) });
console.log(r.probabilities!.dims, r.probabilities!.data);
