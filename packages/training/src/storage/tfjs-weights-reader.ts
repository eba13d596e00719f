import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ACTIVATIONS, type Activation } from '../model/mlp-config';
import { type DenseLayerWeights, type MlpWeights, validateMlpWeights } from '../model/mlp-weights';
import { MODEL_JSON, WEIGHTS_BIN } from './tfjs-file-handler';

/** File of a model's symbol embedding table, present only in models that have one. */
export const SYMBOL_EMBEDDING_JSON = 'symbol-embedding.json';

interface LayerJson {
  class_name: string;
  config: { units?: number; activation?: string; rate?: number; batch_input_shape?: Array<number | null> };
}

interface ModelJsonShape {
  modelTopology?: { config?: { layers?: LayerJson[] } | LayerJson[] };
  weightsManifest?: Array<{
    paths: string[];
    weights: Array<{ name: string; shape: number[]; dtype?: string }>;
  }>;
}

/**
 * Reads an MLP saved in the TF.js layers format (`model.json` + `weights.bin`) straight into
 * {@link MlpWeights}, without loading TensorFlow.js: predicting through ONNX Runtime then never
 * pays TF.js's import and backend start-up.
 */
export async function readMlpWeights(directory: string): Promise<MlpWeights> {
  const json = JSON.parse(await readFile(path.join(directory, MODEL_JSON), 'utf8')) as ModelJsonShape;
  const topology = json.modelTopology?.config;
  const layerList = Array.isArray(topology) ? topology : topology?.layers;
  if (layerList === undefined) throw new Error(`${MODEL_JSON} has no Sequential topology`);
  const dense = layerList.filter((l) => l.class_name === 'Dense');
  const dropout = layerList.find((l) => l.class_name === 'Dropout')?.config.rate ?? 0;
  const manifest = json.weightsManifest ?? [];
  const specs = manifest.flatMap((group) => group.weights);
  const files = manifest.flatMap((group) => group.paths);
  if (files.length !== 1 || files[0] !== WEIGHTS_BIN)
    throw new Error(`${MODEL_JSON} must reference exactly ${WEIGHTS_BIN}`);
  const bytes = await readFile(path.join(directory, WEIGHTS_BIN));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const take = (shape: number[], name: string, dtype = 'float32'): Float32Array => {
    if (dtype !== 'float32') throw new Error(`Weight ${name} has dtype ${dtype}; only float32 is supported`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > bytes.byteLength)
      throw new Error(`${WEIGHTS_BIN} is shorter than its manifest says`);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + i * 4, true);
    offset += count * 4;
    return out;
  };
  if (specs.length !== dense.length * 2)
    throw new Error(`Expected a kernel and a bias per dense layer in ${MODEL_JSON}`);
  const layers: DenseLayerWeights[] = dense.map((_, i) => {
    const kernelSpec = specs[i * 2]!;
    const biasSpec = specs[i * 2 + 1]!;
    const [inputSize, units] = kernelSpec.shape as [number, number];
    return {
      inputSize,
      units,
      kernel: take(kernelSpec.shape, kernelSpec.name, kernelSpec.dtype),
      bias: take(biasSpec.shape, biasSpec.name, biasSpec.dtype),
    };
  });
  if (offset !== bytes.byteLength)
    throw new Error(`${WEIGHTS_BIN} has ${bytes.byteLength - offset} bytes beyond its manifest`);
  const activation = (dense.length > 1 ? dense[0]!.config.activation : 'linear') ?? 'linear';
  if (!(ACTIVATIONS as readonly string[]).includes(activation))
    throw new Error(`Unsupported activation "${activation}"`);
  const weights: MlpWeights = {
    inputSize: layers[0]?.inputSize ?? 0,
    activation: activation as Activation,
    dropout,
    layers,
  };
  const embedding = await readEmbedding(directory);
  if (embedding !== undefined) weights.embedding = embedding;
  validateMlpWeights(weights);
  return weights;
}

/** The symbol embedding saved next to the TF.js files, if the model has one. */
async function readEmbedding(directory: string): Promise<MlpWeights['embedding']> {
  let text: string;
  try {
    text = await readFile(path.join(directory, SYMBOL_EMBEDDING_JSON), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const json = JSON.parse(text) as { dim?: unknown; symbols?: unknown; table?: unknown };
  if (typeof json.dim !== 'number' || !Array.isArray(json.table)) {
    throw new Error(`${SYMBOL_EMBEDDING_JSON} has no dim and table`);
  }
  return {
    dim: json.dim,
    table: Float32Array.from(json.table as number[]),
    ...(Array.isArray(json.symbols) ? { symbols: json.symbols as string[] } : {}),
  };
}
