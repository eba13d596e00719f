import { type MlpWeights, validateMlpWeights } from '../model/mlp-weights';
import { ProtoWriter } from './protobuf-writer';

/** Name of the graph's input: `[batch, features]` float32. */
export const ONNX_INPUT = 'features';
/**
 * Name of the second input of a model with a symbol embedding: `[batch]` int64, each row's symbol
 * index (its row in the embedding table, in the order of the model's `symbols`).
 */
export const ONNX_SYMBOL_INPUT = 'symbol';
/** Name of the graph's output: `[batch, 3]` softmax probabilities (BUY, HOLD, SELL). */
export const ONNX_OUTPUT = 'probabilities';
/** Opset written (opset 13: Gemm, Relu, Tanh, Sigmoid, Elu, Softmax all stable there). */
export const ONNX_OPSET = 13;
/** IR version written: 8, the one that goes with opset 13. */
export const ONNX_IR_VERSION = 8;

// Field numbers from onnx.proto3.
const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  graph: 7,
  opsetImport: 8,
  docString: 6,
  metadataProps: 14,
};
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, f: 2, i: 3, ints: 8, type: 20 };
const ATTRIBUTE_TYPE = { float: 1, int: 2, ints: 7 };
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 };
const FLOAT = 1;
const INT64 = 7;

const ACTIVATION_OPS: Record<MlpWeights['activation'], string | null> = {
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  elu: 'Elu',
  linear: null,
};

/** Options of {@link exportMlpToOnnx}. */
export interface OnnxExportOptions {
  /** Written as `producer_version` (default `0.1.0`). */
  producerVersion?: string;
  /** Key/value pairs stored in the model's `metadata_props` (strategy, symbol...). */
  metadata?: Record<string, string>;
  /**
   * Take the features column-major, `[features, batch]` (one row per feature), and transpose them
   * in the graph: what `predictColumns` runs, so columns are only concatenated, not transposed in
   * JavaScript. Default false (`[batch, features]`, the saved `model.onnx`).
   */
  columnar?: boolean;
}

/**
 * Writes the ONNX graph of an MLP from its weights: per layer `Gemm(x, W, b)` (`W` is the
 * `inputSize x units` kernel, as TF.js stores it, so no transpose), then the activation; a final
 * `Softmax` over the 3 classes. Dropout is an identity at inference and is omitted. The batch
 * dimension is symbolic (`batch`), so any number of rows can be scored in one run.
 */
export function exportMlpToOnnx(weights: MlpWeights, options: OnnxExportOptions = {}): Uint8Array {
  validateMlpWeights(weights);
  const nodes: Array<(w: ProtoWriter) => void> = [];
  const initializers: Array<(w: ProtoWriter) => void> = [];
  let current = ONNX_INPUT;
  const last = weights.layers.length - 1;
  const embedding = weights.embedding;
  // Column-major input: the first Gemm reads it transposed (transA), unless an embedding must be
  // appended to each row first, which takes a Transpose.
  const transposeInput = options.columnar === true && embedding !== undefined;
  if (transposeInput) {
    nodes.push(
      node('Transpose', 'columns/transpose', [ONNX_INPUT], ['rows'], [intsAttribute('perm', [1, 0])]),
    );
    current = 'rows';
  }
  if (embedding !== undefined) {
    // features ++ table[symbol]: Gather picks each row's embedding, Concat appends it.
    const table = 'symbol_embedding/table';
    initializers.push(
      tensor(table, [embedding.table.length / embedding.dim, embedding.dim], embedding.table),
    );
    nodes.push(
      node(
        'Gather',
        'symbol_embedding/gather',
        [table, ONNX_SYMBOL_INPUT],
        ['symbol_embedding/output'],
        [intAttribute('axis', 0)],
      ),
    );
    nodes.push(
      node(
        'Concat',
        'symbol_embedding/concat',
        [current, 'symbol_embedding/output'],
        ['inputs'],
        [intAttribute('axis', 1)],
      ),
    );
    current = 'inputs';
  }
  weights.layers.forEach((layer, i) => {
    const kernel = `dense_${i}/kernel`;
    const bias = `dense_${i}/bias`;
    initializers.push(tensor(kernel, [layer.inputSize, layer.units], layer.kernel));
    initializers.push(tensor(bias, [layer.units], layer.bias));
    const gemmOut = `dense_${i}/output`;
    const transA = i === 0 && options.columnar === true && !transposeInput;
    nodes.push(
      node(
        'Gemm',
        `dense_${i}/gemm`,
        [current, kernel, bias],
        [gemmOut],
        transA ? [intAttribute('transA', 1)] : [],
      ),
    );
    current = gemmOut;
    const opType = i === last ? 'Softmax' : ACTIVATION_OPS[weights.activation];
    if (opType === null) return;
    const out = i === last ? ONNX_OUTPUT : `dense_${i}/activation`;
    const attributes =
      opType === 'Softmax' ? [intAttribute('axis', 1)] : opType === 'Elu' ? [floatAttribute('alpha', 1)] : [];
    nodes.push(node(opType, `dense_${i}/${opType.toLowerCase()}`, [current], [out], attributes));
    current = out;
  });

  const model = new ProtoWriter()
    .varint(MODEL.irVersion, ONNX_IR_VERSION)
    .string(MODEL.producerName, 'ktrdr')
    .string(MODEL.producerVersion, options.producerVersion ?? '0.1.0')
    .string(MODEL.docString, 'MLP classifier: BUY=0, HOLD=1, SELL=2')
    .message(MODEL.graph, (g) => {
      nodes.forEach((build) => g.message(GRAPH.node, build));
      g.string(GRAPH.name, 'ktrdr_mlp');
      initializers.forEach((build) => g.message(GRAPH.initializer, build));
      const features = weights.inputSize - (embedding?.dim ?? 0);
      g.message(
        GRAPH.input,
        options.columnar === true ? columnsInfo(ONNX_INPUT, features) : valueInfo(ONNX_INPUT, features),
      );
      if (embedding !== undefined) g.message(GRAPH.input, valueInfo(ONNX_SYMBOL_INPUT, null, INT64));
      g.message(GRAPH.output, valueInfo(ONNX_OUTPUT, weights.layers[last]!.units));
    })
    .message(MODEL.opsetImport, (o) => o.string(1, '').varint(2, ONNX_OPSET));
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    model.message(MODEL.metadataProps, (m) => m.string(1, key).string(2, value));
  }
  return model.finish();
}

function node(
  opType: string,
  name: string,
  inputs: string[],
  outputs: string[],
  attributes: Array<(w: ProtoWriter) => void> = [],
): (w: ProtoWriter) => void {
  return (w) => {
    inputs.forEach((i) => w.string(NODE.input, i));
    outputs.forEach((o) => w.string(NODE.output, o));
    w.string(NODE.name, name).string(NODE.opType, opType);
    attributes.forEach((a) => w.message(NODE.attribute, a));
  };
}

function intAttribute(name: string, value: number): (w: ProtoWriter) => void {
  return (w) =>
    w.string(ATTRIBUTE.name, name).varint(ATTRIBUTE.i, value).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.int);
}

function intsAttribute(name: string, values: number[]): (w: ProtoWriter) => void {
  return (w) => {
    w.string(ATTRIBUTE.name, name);
    values.forEach((v) => w.varint(ATTRIBUTE.ints, v));
    w.varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.ints);
  };
}

function floatAttribute(name: string, value: number): (w: ProtoWriter) => void {
  return (w) =>
    w.string(ATTRIBUTE.name, name).float(ATTRIBUTE.f, value).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.float);
}

function tensor(name: string, dims: number[], values: Float32Array): (w: ProtoWriter) => void {
  return (w) => {
    dims.forEach((d) => w.varint(TENSOR.dims, d));
    w.varint(TENSOR.dataType, FLOAT).string(TENSOR.name, name);
    // raw_data is little-endian; copy so a view into a larger buffer contributes only its own bytes.
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    w.bytes(TENSOR.rawData, raw);
  };
}

/**
 * `ValueInfoProto` of a tensor `[batch, width]` (or `[batch]` when `width` is null) with a symbolic
 * batch dimension.
 */
function valueInfo(name: string, width: number | null, elementType = FLOAT): (w: ProtoWriter) => void {
  return (w) =>
    w.string(1, name).message(2, (type) =>
      type.message(1, (tensorType) =>
        tensorType.varint(1, elementType).message(2, (shape) => {
          shape.message(1, (dim) => dim.string(2, 'batch'));
          if (width !== null) shape.message(1, (dim) => dim.varint(1, width));
        }),
      ),
    );
}

/** `ValueInfoProto` of a float tensor `[height, batch]` (column-major features). */
function columnsInfo(name: string, height: number): (w: ProtoWriter) => void {
  return (w) =>
    w.string(1, name).message(2, (type) =>
      type.message(1, (tensorType) =>
        tensorType.varint(1, FLOAT).message(2, (shape) => {
          shape.message(1, (dim) => dim.varint(1, height));
          shape.message(1, (dim) => dim.string(2, 'batch'));
        }),
      ),
    );
}
