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
  /**
   * The same, one object per row. Built on first read (then kept): callers that read only
   * `classes` and `probabilities` do not pay for 10,000 objects per 10,000 rows.
   */
  readonly predictions: RowPrediction[];
}

/**
 * Columnar inputs of {@link predictColumns}: one array per feature, in the model's feature order,
 * each with one value per row.
 */
export interface ColumnarPredictInput {
  columns: readonly Float32Array[];
  /** Each row's symbol index: required by a model with a symbol embedding. */
  symbols?: Int32Array;
}

/** Columnar predictions of {@link predictColumns}: one typed array per output, one value per row. */
export interface ColumnarPrediction {
  rows: number;
  /** What ran it (see {@link PredictionResult.runtime}). */
  runtime: PredictRuntime;
  /** Predicted class index per row: 0 = BUY, 1 = HOLD, 2 = SELL. */
  classes: Int32Array;
  /** Probability of each row's predicted class. */
  confidence: Float32Array;
  /** Probability of BUY, HOLD and SELL per row. */
  buy: Float32Array;
  hold: Float32Array;
  sell: Float32Array;
}

const onnxSessions = new WeakMap<PredictableModel, Promise<OnnxMlpSession>>();
/** Sessions of the column-major graph (`exportMlpToOnnx(weights, { columnar: true })`), for {@link predictColumns}. */
const onnxColumnSessions = new WeakMap<PredictableModel, Promise<OnnxMlpSession>>();
const fusedPredictors = new WeakMap<PredictableModel, FusedPredictor>();
const columnBuffers = new WeakMap<PredictableModel, Float32Array>();

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
  const features = input instanceof Float32Array ? inputSize : (input.features ?? inputSize);
  if (features !== inputSize || !Number.isInteger(rows) || x.length !== rows * inputSize) {
    throw new ValidationError(
      `Prediction input has ${x.length} values for ${rows} rows of ${features} features; the model takes ${inputSize} features per row`,
      { details: { field: 'x' } },
    );
  }
  const { probabilities, runtime } = await score(model, x, rows, symbols, options);
  return toResult(probabilities, rows, runtime);
}

/**
 * {@link predict} for bulk scoring, column in, columns out: takes one Float32Array per feature and
 * returns the class, confidence and each class's probability as one typed array each, with no
 * object per row. For a table that is already columnar (a BarFrame's indicator columns, a DuckDB
 * result) it saves building the row-major matrix: the columns are copied whole into one buffer
 * (kept per model between calls) and ONNX Runtime's graph reads them transposed. Same runtimes,
 * fallback and results (bit for bit) as {@link predict}.
 *
 * @throws ValidationError when the column count differs from the model's feature count or the
 *   columns differ in length (`details.field`: `columns`), or symbols are missing for an embedding.
 */
export async function predictColumns(
  model: PredictableModel,
  input: ColumnarPredictInput,
  options: PredictOptions = {},
): Promise<ColumnarPrediction> {
  const { columns } = input;
  const inputSize = featureCount(model.weights);
  const rows = columns[0]?.length ?? 0;
  if (columns.length !== inputSize || columns.some((c) => c.length !== rows)) {
    throw new ValidationError(
      `Prediction input has ${columns.length} columns of lengths ${[...new Set(columns.map((c) => c.length))].join('/')}; the model takes ${inputSize} columns of equal length`,
      { details: { field: 'columns' } },
    );
  }
  // Column-major: the columns one after another (copies of whole arrays, no per-value loop).
  const x = columnBuffer(model, rows * inputSize);
  try {
    columns.forEach((column, f) => x.set(column, f * rows));
    const { probabilities, runtime } = await score(model, x, rows, input.symbols, options, true);
    return toColumns(probabilities, rows, runtime);
  } finally {
    columnBuffers.set(model, x);
  }
}

/**
 * Checks the symbols, picks the runtime (falling back without ONNX Runtime) and runs it. With
 * `columnMajor`, `x` holds one feature after another: ONNX Runtime runs a graph that transposes
 * it; the other runtimes get it transposed here.
 */
async function score(
  model: PredictableModel,
  x: Float32Array,
  rows: number,
  symbols: Int32Array | undefined,
  options: PredictOptions,
  columnMajor = false,
): Promise<{ probabilities: Float32Array; runtime: PredictRuntime }> {
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
  let runtime = options.runtime ?? 'onnx';
  if (runtime === 'onnx' && !(await onnxRuntimeAvailable())) {
    noticeFallback();
    runtime = 'fused';
  }
  if (rows === 0) return { probabilities: new Float32Array(0), runtime };
  if (runtime === 'onnx')
    return { probabilities: await runOnnx(model, x, rows, symbols, columnMajor), runtime };
  const rowMajor = columnMajor ? transpose(x, rows, featureCount(model.weights)) : x;
  const probabilities =
    runtime === 'fused'
      ? await runFused(model, rowMajor, rows, symbols)
      : await runTfjs(model, withEmbedding(model.weights, rowMajor, rows, symbols), rows, options);
  return { probabilities, runtime };
}

/** `rows x features` row-major from `features x rows`. */
function transpose(x: Float32Array, rows: number, features: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let f = 0; f < features; f++) {
    for (let r = 0, from = f * rows, at = f; r < rows; r++, at += features) out[at] = x[from + r]!;
  }
  return out;
}

/**
 * The buffer {@link predictColumns} concatenates the columns into: the model's kept one when it is
 * free and of the size (it is taken out of the map while a call uses it, so concurrent calls never
 * share it).
 */
function columnBuffer(model: PredictableModel, size: number): Float32Array {
  const kept = columnBuffers.get(model);
  columnBuffers.delete(model);
  return kept !== undefined && kept.length === size ? kept : new Float32Array(size);
}

/** Closes the cached ONNX session of `model` (and drops its built-in engine), if any. */
export async function releasePredictor(model: PredictableModel): Promise<void> {
  fusedPredictors.delete(model);
  columnBuffers.delete(model);
  for (const sessions of [onnxSessions, onnxColumnSessions]) {
    const session = sessions.get(model);
    sessions.delete(model);
    if (session !== undefined) await (await session).close();
  }
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
  symbols: Int32Array | undefined,
  columnMajor: boolean,
): Promise<Float32Array> {
  const sessions = columnMajor ? onnxColumnSessions : onnxSessions;
  let session = sessions.get(model);
  if (session === undefined) {
    session =
      model.directory !== undefined && !columnMajor
        ? OnnxMlpSession.create(path.join(model.directory, 'model.onnx'))
        : openFromWeights(model.weights, columnMajor);
    sessions.set(model, session);
    session.catch(() => sessions.delete(model));
  }
  const features = featureCount(model.weights);
  const embedded = model.weights.embedding && symbols;
  return columnMajor
    ? (await session).runColumns(x, rows, features, embedded)
    : (await session).run(x, rows, features, embedded);
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

async function openFromWeights(weights: MlpWeights, columnar: boolean): Promise<OnnxMlpSession> {
  const { exportMlpToOnnx } = await import('./onnx-export');
  return OnnxMlpSession.create(exportMlpToOnnx(weights, { columnar }));
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
  for (let i = 0, o = 0; i < rows; i++, o += OUTPUT_UNITS) {
    classes[i] = argmax3(probabilities[o]!, probabilities[o + 1]!, probabilities[o + 2]!);
  }
  let predictions: RowPrediction[] | undefined;
  return {
    rows,
    runtime,
    classes,
    probabilities,
    get predictions(): RowPrediction[] {
      return (predictions ??= rowObjects(probabilities, classes));
    },
  };
}

function rowObjects(probabilities: Float32Array, classes: Int32Array): RowPrediction[] {
  const predictions = new Array<RowPrediction>(classes.length);
  for (let i = 0; i < classes.length; i++) {
    const o = i * OUTPUT_UNITS;
    const index = classes[i]!;
    predictions[i] = {
      index,
      label: CLASS_LABELS[index]!,
      confidence: probabilities[o + index]!,
      probabilities: { BUY: probabilities[o]!, HOLD: probabilities[o + 1]!, SELL: probabilities[o + 2]! },
    };
  }
  return predictions;
}

function toColumns(probabilities: Float32Array, rows: number, runtime: PredictRuntime): ColumnarPrediction {
  const out = {
    rows,
    runtime,
    classes: new Int32Array(rows),
    confidence: new Float32Array(rows),
    buy: new Float32Array(rows),
    hold: new Float32Array(rows),
    sell: new Float32Array(rows),
  };
  for (let i = 0, o = 0; i < rows; i++, o += OUTPUT_UNITS) {
    const p0 = probabilities[o]!, p1 = probabilities[o + 1]!, p2 = probabilities[o + 2]!; // prettier-ignore
    const index = argmax3(p0, p1, p2);
    out.classes[i] = index;
    out.confidence[i] = index === 0 ? p0 : index === 1 ? p1 : p2;
    out.buy[i] = p0;
    out.hold[i] = p1;
    out.sell[i] = p2;
  }
  return out;
}

/** Index of the largest of three probabilities; ties go to the lower index. */
function argmax3(p0: number, p1: number, p2: number): number {
  return p0 >= p1 ? (p0 >= p2 ? 0 : 2) : p1 >= p2 ? 1 : 2;
}
