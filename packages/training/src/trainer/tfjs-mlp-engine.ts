import type { Optimizer, Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend/tf-backend';
import type { DatasetSplit } from '../model/dataset';
import type { MlpConfig } from '../model/mlp-config';
import { OUTPUT_UNITS } from '../model/mlp-config';
import type { MlpWeights } from '../model/mlp-weights';
import { ValidationError } from '@ktrdr/core';
import type { DropoutDraws } from './dropout-mask';
import { type EpochTrainStats, type Evaluation, type MlpEngine, scoreRow } from './mlp-engine';
import type { OptimizerState } from './training-checkpoint';

/** Read the loss back from the backend every this many batches: each read is a full sync. */
const LOSS_SYNC_EVERY = 16;
const EVAL_ROWS = 4096;
const EPSILON = 1e-7;

/**
 * The MLP trained with TensorFlow.js ops on the selected backend (native libtensorflow, GPU, WASM
 * or CPU). Not `model.fit`: a custom loop with `optimizer.minimize` over variables, one upload per
 * batch, dropout masks drawn from the shared seeded stream (so it is reproducible and can be
 * cross-checked against the fused engine), and losses read back only every few batches.
 */
export class TfjsMlpEngine implements MlpEngine {
  readonly engine = 'tfjs' as const;
  readonly details: Record<string, string> = {};
  private readonly kernels: Variable[];
  private readonly biases: Variable[];
  /** The symbol embedding table (`symbols x dim`), when the model has one. */
  private readonly embedding: Variable | null;
  private readonly optimizer: Optimizer;
  private xs = new Float32Array(0);
  /** Symbol index of each row of the epoch, in epoch order (embedding models). */
  private gs = new Int32Array(0);
  private ys = new Float32Array(0);
  private lossSum: Tensor | null = null;
  private correctSum: Tensor | null = null;
  private seen = 0;
  private batches = 0;

  constructor(
    private readonly tf: Tf,
    readonly backend: string,
    private readonly train: DatasetSplit,
    private readonly config: MlpConfig,
    initial: MlpWeights,
    private readonly dropout: DropoutDraws | null,
  ) {
    // Unnamed: TF.js variable names are process-wide, and several engines may train at once.
    this.kernels = initial.layers.map((l) => tf.variable(tf.tensor2d(l.kernel, [l.inputSize, l.units])));
    this.biases = initial.layers.map((l) => tf.variable(tf.tensor1d(l.bias)));
    const table = initial.embedding;
    this.embedding =
      table === undefined
        ? null
        : tf.variable(tf.tensor2d(table.table, [table.table.length / table.dim, table.dim]));
    const lr = config.learningRate;
    this.optimizer =
      config.optimizer === 'adam'
        ? tf.train.adam(lr, 0.9, 0.999, EPSILON)
        : config.optimizer === 'rmsprop'
          ? tf.train.rmsprop(lr, 0.9, 0, EPSILON)
          : tf.train.sgd(lr);
  }

  setLearningRate(learningRate: number): void {
    const opt = this.optimizer as Optimizer & {
      learningRate: number;
      setLearningRate?: (lr: number) => void;
    };
    // SGD caches the rate in a tensor; Adam and RMSprop read the field at every step.
    if (typeof opt.setLearningRate === 'function') opt.setLearningRate(learningRate);
    else opt.learningRate = learningRate;
  }

  beginEpoch(order: Uint32Array): void {
    const { x, y, features } = this.train;
    // Gather the epoch's rows once (plain copies), so each batch is a single zero-copy upload.
    this.xs = new Float32Array(order.length * features);
    this.ys = new Float32Array(order.length * OUTPUT_UNITS);
    for (let i = 0; i < order.length; i++) {
      const r = order[i]!;
      this.xs.set(x.subarray(r * features, (r + 1) * features), i * features);
      this.ys[i * OUTPUT_UNITS + y[r]!] = 1;
    }
    const groups = this.train.groups;
    if (this.embedding !== null && groups !== undefined) this.gs = Int32Array.from(order, (r) => groups[r]!);
    this.resetSums();
  }

  trainBatch(start: number, count: number): number | undefined {
    const tf = this.tf;
    const f = this.train.features;
    const x = tf.tensor2d(this.xs.subarray(start * f, (start + count) * f), [count, f]);
    const y = tf.tensor2d(this.ys.subarray(start * OUTPUT_UNITS, (start + count) * OUTPUT_UNITS), [
      count,
      OUTPUT_UNITS,
    ]);
    const masks = this.drawMasks(count);
    const g = this.embedding === null ? null : tf.tensor1d(this.gs.subarray(start, start + count), 'int32');
    let correct: Tensor | null = null;
    // Only this engine's variables: the optimizer would otherwise differentiate every trainable
    // variable in the process (other engines, models being saved or used for prediction).
    const variables = [...this.kernels, ...this.biases, ...(this.embedding === null ? [] : [this.embedding])];
    const { value: loss, grads } = this.optimizer.computeGradients(() => {
      const logits = this.forward(x, masks, g);
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)), 'float32')));
      return tf.losses.softmaxCrossEntropy(y, logits) as Scalar;
    }, variables);
    const decay = this.config.weightDecay ?? 0;
    if (decay > 0) {
      // PyTorch's weight decay (what Python KTRDR's `weight_decay` means): `g += decay * w`.
      for (const variable of variables) {
        const grad = grads[variable.name]!;
        grads[variable.name] = tf.tidy(() => tf.add(grad, tf.mul(variable, decay)));
        grad.dispose();
      }
    }
    this.optimizer.applyGradients(grads);
    tf.dispose(grads);
    x.dispose();
    g?.dispose();
    y.dispose();
    masks.forEach((m) => m.dispose());
    this.accumulate(loss, correct!, count);
    this.batches++;
    const value = this.batches % LOSS_SYNC_EVERY === 0 ? loss.dataSync()[0] : undefined;
    loss.dispose();
    return value;
  }

  async endEpoch(): Promise<EpochTrainStats> {
    const seen = Math.max(1, this.seen);
    const loss = this.lossSum === null ? NaN : (await this.lossSum.data())[0]! / seen;
    const accuracy = this.correctSum === null ? NaN : (await this.correctSum.data())[0]! / seen;
    this.resetSums();
    return { loss, accuracy };
  }

  async evaluate(split: DatasetSplit): Promise<Evaluation> {
    const tf = this.tf;
    const scored = {
      probabilities: new Float32Array(split.rows * OUTPUT_UNITS),
      predictions: new Int32Array(split.rows),
    };
    let lossSum = 0;
    for (let start = 0; start < split.rows; start += EVAL_ROWS) {
      const count = Math.min(EVAL_ROWS, split.rows - start);
      const logits = tf.tidy(() => {
        const x = tf.tensor2d(split.x.subarray(start * split.features, (start + count) * split.features), [
          count,
          split.features,
        ]);
        const groups = split.groups;
        const g =
          this.embedding === null || groups === undefined
            ? null
            : tf.tensor1d(groups.subarray(start, start + count), 'int32');
        return this.forward(x, [], g);
      });
      const z = await logits.data();
      logits.dispose();
      for (let i = 0; i < count; i++) {
        lossSum += scoreRow(scored, start + i, z[i * 3]!, z[i * 3 + 1]!, z[i * 3 + 2]!, split.y[start + i]!);
      }
    }
    return { loss: split.rows > 0 ? lossSum / split.rows : NaN, ...scored };
  }

  async getWeights(): Promise<MlpWeights> {
    const layers = await Promise.all(
      this.kernels.map(async (k, i) => {
        const [inputSize, units] = k.shape as [number, number];
        return {
          inputSize,
          units,
          kernel: Float32Array.from(await k.data()),
          bias: Float32Array.from(await this.biases[i]!.data()),
        };
      }),
    );
    const dim = this.embedding?.shape[1];
    return {
      inputSize: layers[0]!.inputSize,
      activation: this.config.activation,
      dropout: this.config.dropout,
      layers,
      ...(this.embedding === null || dim === undefined
        ? {}
        : { embedding: { dim, table: Float32Array.from(await this.embedding.data()) } }),
    };
  }

  setWeights(weights: MlpWeights): void {
    const tf = this.tf;
    weights.layers.forEach((l, i) => {
      tf.tidy(() => {
        this.kernels[i]!.assign(tf.tensor2d(l.kernel, [l.inputSize, l.units]));
        this.biases[i]!.assign(tf.tensor1d(l.bias));
      });
    });
    const table = weights.embedding;
    if (this.embedding !== null && table !== undefined) {
      tf.tidy(() =>
        this.embedding!.assign(tf.tensor2d(table.table, this.embedding!.shape as [number, number])),
      );
    }
  }

  async getOptimizerState(): Promise<OptimizerState> {
    // TF.js lists the step counter first, then the slot variables in the order they were created.
    const named = await this.optimizer.getWeights();
    const tensors = await Promise.all(
      named.map(async ({ tensor }) => ({
        shape: [...tensor.shape],
        data: Float32Array.from(await tensor.data()),
      })),
    );
    // The step counter is a fresh scalar (the slots are the optimizer's own variables): release it.
    named[0]?.tensor.dispose();
    const step = tensors.length > 0 ? tensors[0]!.data[0]! : 0;
    return { engine: this.engine, step, tensors };
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    if (state.engine !== this.engine) {
      throw new ValidationError('The checkpoint was taken by another engine', {
        details: { field: 'resumeFrom' },
      });
    }
    const tf = this.tf;
    // Names are only labels here: TF.js matches slots to variables by position.
    const named = state.tensors.map((t, i) => ({ name: `slot_${i}`, tensor: tf.tensor(t.data, t.shape) }));
    try {
      await this.optimizer.setWeights(named);
    } finally {
      // The optimizer copies them into its own variables.
      named.forEach(({ tensor }) => tensor.dispose());
    }
  }

  dispose(): void {
    this.resetSums();
    this.kernels.forEach((v) => v.dispose());
    this.biases.forEach((v) => v.dispose());
    this.embedding?.dispose();
    this.optimizer.dispose();
  }

  /**
   * Logits; `masks` (training) multiply each hidden activation, none at inference; `g` holds each
   * row's symbol index, whose embedding row is appended to the features.
   */
  private forward(x: Tensor2D, masks: Tensor2D[], g: Tensor | null = null): Tensor2D {
    const tf = this.tf;
    let h: Tensor2D =
      this.embedding === null || g === null
        ? x
        : tf.concat([x, tf.gather(this.embedding as Tensor2D, g) as Tensor2D], 1);
    const last = this.kernels.length - 1;
    for (let i = 0; i < last; i++) {
      h = this.activate(tf.add(tf.matMul(h, this.kernels[i]!), this.biases[i]!));
      const mask = masks[i];
      if (mask !== undefined) h = tf.mul(h, mask);
    }
    return tf.add(tf.matMul(h, this.kernels[last]!), this.biases[last]!);
  }

  private activate(z: Tensor2D): Tensor2D {
    const tf = this.tf;
    switch (this.config.activation) {
      case 'relu':
        return tf.relu(z);
      case 'tanh':
        return tf.tanh(z);
      case 'sigmoid':
        return tf.sigmoid(z);
      case 'elu':
        return tf.elu(z);
      default:
        return z;
    }
  }

  private drawMasks(count: number): Tensor2D[] {
    if (this.dropout === null) return [];
    const draws = this.dropout;
    return this.kernels.slice(0, -1).map((k) => {
      const units = k.shape[1]!;
      const values = new Float32Array(count * units);
      draws.fill(values, 0, count, units, units);
      return this.tf.tensor2d(values, [count, units]);
    });
  }

  private accumulate(loss: Scalar, correct: Tensor, count: number): void {
    const tf = this.tf;
    const weighted = tf.mul(loss, count);
    const lossSum = this.lossSum === null ? weighted : tf.add(this.lossSum, weighted);
    if (this.lossSum !== null) {
      this.lossSum.dispose();
      weighted.dispose();
    }
    const correctSum = this.correctSum === null ? correct : tf.add(this.correctSum, correct);
    if (this.correctSum !== null) {
      this.correctSum.dispose();
      correct.dispose();
    }
    this.lossSum = lossSum;
    this.correctSum = correctSum;
    this.seen += count;
  }

  private resetSums(): void {
    this.lossSum?.dispose();
    this.correctSum?.dispose();
    this.lossSum = null;
    this.correctSum = null;
    this.seen = 0;
  }
}
