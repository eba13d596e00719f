import path from 'node:path';
import { ValidationError } from '@ktrdr/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { selectTfBackend } from '../backend/tf-backend';
import type { TfBackendName } from '../backend/tf-backend-names';
import { FusedPredictor } from './fused-predictor';
import { OnnxMlpSession, onnxRuntimeInstalled } from './onnx-session';
import { CLASS_LABELS, type ClassLabel } from '../model/class-labels';
import { OUTPUT_UNITS } from '../model/mlp-config';
import { featureCount, type MlpWeights } from '../model/mlp-weights';
import { buildTfjsModel } from '../model/tfjs-mlp';

/** A model to predict with: a loaded model (`ModelStore.load`) or anything carrying weights. */
export interface PredictableModel {
  weights: MlpWeights;
  /** When given, the ONNX graph is read from `{directory}/model.onnx` rather than rebuilt from the weights. */
  directory?: string;
}

/** Inputs: `rows x features` values, row-major. */
export interface PredictInput {
  x: Float32Array;
  rows: number;
  features?: number;
  /** Each row's symbol index (row of the embedding table): required by a model with a symbol embedding. */
  symbols?: Int32Array;
}

/** What runs a prediction; see {@link PredictOptions.runtime}. */
export type PredictRuntime = 'onnx' | 'fused' | 'tfjs';

/** Options of {@link predict}. */
export interface PredictOptions {
  /**
   * `onnx` (default): ONNX Runtime when `onnxruntime-node` is installed, else ktrdr's built-in
   * engine, with a one-time notice. `fused`: the built-in engine (WebAssembly, no native library).
   * `tfjs`: TensorFlow.js on the selected backend.
   */
  runtime?: PredictRuntime;
  /** TF.js backend for `runtime: 'tfjs'`. */
  backend?: TfBackendName | 'auto';
}

/** One row's prediction. */
export interface RowPrediction {
  /** 0 = BUY, 1 = HOLD, 2 = SELL. */
  index: number;
  label: ClassLabel;
  /** Probability of the predicted class. */
  confidence: number;
  probabilities: Record<ClassLabel, number>;
}

/** Predictions for every row. */
export interface PredictionResult {
  rows: number;
  /** What ran it: `fused` when `onnx` was asked for but `onnxruntime-node` is not installed. */
  runtime: PredictRuntime;
  /** Predicted class index per row. */
  classes: Int32Array;
  /** `rows x 3` probabilities (BUY, HOLD, SELL), row-major. */
  probabilities: Float32Array;
  /** The same, one object per row. */
  predictions: RowPrediction[];
}

const onnxSessions = new WeakMap<PredictableModel, Promise<OnnxMlpSession>>();
const fusedPredictors = new WeakMap<PredictableModel, FusedPredictor>();

let ortInstalled: Promise<boolean> | undefined;
let fallbackNoticed = false;

/** Whether `onnxruntime-node` is installed, asked once per process (a broken install is asked again). */
function onnxRuntimeAvailable(): Promise<boolean> {
  ortInstalled ??= onnxRuntimeInstalled();
  ortInstalled.catch(() => (ortInstalled = undefined));
  return ortInstalled;
}

/** Says once per process that predictions run on the built-in engine, and how to change that. */
function noticeFallback(): void {
  if (fallbackNoticed) return;
  fallbackNoticed = true;
  process.emitWarning(
    "onnxruntime-node is not installed, so predictions run on ktrdr's built-in engine (same results). " +
      'To use ONNX Runtime, npm install onnxruntime-node; to stop this notice, predict with runtime "fused".',
    { type: 'KtrdrNotice', code: 'KTRDR_ONNXRUNTIME_ABSENT' },
  );
}

/**
 * Scores rows with a trained model: the class (BUY/HOLD/SELL, by index and name) and the
 * probabilities of each row. ONNX Runtime by default (its session is opened once per model and
 * reused), or ktrdr's built-in engine when `onnxruntime-node` is not installed; TF.js on request.
 *
 * @throws ValidationError when the inputs do not match the model's feature count.
 */
export async function predict(
  model: PredictableModel,
  input: PredictInput | Float32Array,
  options: PredictOptions = {},
): Promise<PredictionResult> {
  const inputSize = featureCount(model.weights);
  const { x, rows } = input instanceof Float32Array ? { x: input, rows: input.length / inputSize } : input;
  const symbols = input instanceof Float32Array ? undefined : input.symbols;
  const embedding = model.weights.embedding;
  if (embedding !== undefined) {
    const count = embedding.table.length / embedding.dim;
    if (symbols === undefined || symbols.length !== rows || symbols.some((s) => s < 0 || s >= count)) {
      throw new ValidationError(
        `This model has a symbol embedding: give each row's symbol index (0 to ${count - 1}${embedding.symbols === undefined ? '' : `: ${embedding.symbols.join(', ')}`})`,
        { details: { field: 'symbols' } },
      );
    }
  }
  const features = input instanceof Float32Array ? inputSize : (input.features ?? inputSize);
  if (features !== inputSize || !Number.isInteger(rows) || x.length !== rows * inputSize) {
    throw new ValidationError(
      `Prediction input has ${x.length} values for ${rows} rows of ${features} features; the model takes ${inputSize} features per row`,
      { details: { field: 'x' } },
    );
  }
  let runtime = options.runtime ?? 'onnx';
  if (runtime === 'onnx' && !(await onnxRuntimeAvailable())) {
    noticeFallback();
    runtime = 'fused';
  }
  const probabilities =
    rows === 0
      ? new Float32Array(0)
      : runtime === 'onnx'
        ? await runOnnx(model, x, rows, symbols)
        : runtime === 'fused'
          ? await runFused(model, x, rows, symbols)
          : await runTfjs(model, withEmbedding(model.weights, x, rows, symbols), rows, options);
  return toResult(probabilities, rows, runtime);
}

/** Closes the cached ONNX session of `model` (and drops its built-in engine), if any. */
export async function releasePredictor(model: PredictableModel): Promise<void> {
  fusedPredictors.delete(model);
  const session = onnxSessions.get(model);
  onnxSessions.delete(model);
  if (session !== undefined) await (await session).close();
}

/** `x` with each row's embedding appended (the dense network's full input), for TF.js. */
function withEmbedding(
  weights: MlpWeights,
  x: Float32Array,
  rows: number,
  symbols?: Int32Array,
): Float32Array {
  const embedding = weights.embedding;
  if (embedding === undefined || symbols === undefined) return x;
  const { dim, table } = embedding;
  const features = weights.inputSize - dim;
  const out = new Float32Array(rows * weights.inputSize);
  for (let r = 0; r < rows; r++) {
    out.set(x.subarray(r * features, (r + 1) * features), r * weights.inputSize);
    out.set(table.subarray(symbols[r]! * dim, (symbols[r]! + 1) * dim), r * weights.inputSize + features);
  }
  return out;
}

async function runOnnx(
  model: PredictableModel,
  x: Float32Array,
  rows: number,
  symbols?: Int32Array,
): Promise<Float32Array> {
  let session = onnxSessions.get(model);
  if (session === undefined) {
    session =
      model.directory !== undefined
        ? OnnxMlpSession.create(path.join(model.directory, 'model.onnx'))
        : openFromWeights(model.weights);
    onnxSessions.set(model, session);
    session.catch(() => onnxSessions.delete(model));
  }
  return (await session).run(x, rows, featureCount(model.weights), model.weights.embedding && symbols);
}

function runFused(
  model: PredictableModel,
  x: Float32Array,
  rows: number,
  symbols?: Int32Array,
): Promise<Float32Array> {
  let predictor = fusedPredictors.get(model);
  if (predictor === undefined) {
    predictor = new FusedPredictor(model.weights);
    fusedPredictors.set(model, predictor);
  }
  return predictor.run(x, rows, model.weights.embedding && symbols);
}

async function openFromWeights(weights: MlpWeights): Promise<OnnxMlpSession> {
  const { exportMlpToOnnx } = await import('./onnx-export');
  return OnnxMlpSession.create(exportMlpToOnnx(weights));
}

async function runTfjs(
  model: PredictableModel,
  x: Float32Array,
  rows: number,
  options: PredictOptions,
): Promise<Float32Array> {
  const { tf } = await selectTfBackend(options.backend === undefined ? {} : { backend: options.backend });
  const tfModel = buildTfjsModel(tf, model.weights);
  try {
    const output = tf.tidy(() => tfModel.predict(tf.tensor2d(x, [rows, model.weights.inputSize])) as Tensor);
    const values = (await output.data()) as Float32Array;
    output.dispose();
    return values;
  } finally {
    tfModel.dispose();
  }
}

function toResult(probabilities: Float32Array, rows: number, runtime: PredictRuntime): PredictionResult {
  const classes = new Int32Array(rows);
  const predictions: RowPrediction[] = new Array<RowPrediction>(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * OUTPUT_UNITS;
    const p0 = probabilities[o]!, p1 = probabilities[o + 1]!, p2 = probabilities[o + 2]!; // prettier-ignore
    const index = p0 >= p1 ? (p0 >= p2 ? 0 : 2) : p1 >= p2 ? 1 : 2;
    classes[i] = index;
    predictions[i] = {
      index,
      label: CLASS_LABELS[index]!,
      confidence: probabilities[o + index]!,
      probabilities: { BUY: p0, HOLD: p1, SELL: p2 },
    };
  }
  return { rows, runtime, classes, probabilities, predictions };
}
