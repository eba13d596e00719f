import { ValidationError } from '@ktrdr/core';
import type { DatasetSplit } from '../../model/dataset';
import type { Activation, MlpConfig, OptimizerName } from '../../model/mlp-config';
import { layerSizes, type MlpWeights } from '../../model/mlp-weights';
import type { DropoutDraws } from '../dropout-mask';
import type { OptimizerState } from '../training-checkpoint';
import { type EpochTrainStats, type Evaluation, type MlpEngine, scoreRow } from '../mlp-engine';
import { createJsKernels } from './js-kernels';
import { ADAM, type MatKernels, pad4 } from './mat-kernels';
import { createWasmKernels } from './wasm-kernels';

/** Which matrix kernels the fused engine uses; `auto` prefers WebAssembly SIMD. */
export type KernelPreference = 'auto' | 'wasm-simd' | 'js';

/** Rows per chunk when evaluating; larger than a batch so inference runs at full kernel speed. */
const EVAL_ROWS = 1024;
/**
 * Training inputs up to this size are copied once into the engine's memory, so batches are
 * gathered by a kernel; larger ones are copied row by row from the caller's array (no second copy
 * of a huge dataset).
 */
const RESIDENT_DATA_MAX_BYTES = 512 * 1024 * 1024;
/** RMSprop epsilon: TF.js's float32 backend epsilon, as Adam's. */
const EPSILON = ADAM.epsilon;
const RMS_DECAY = 0.9;
/** What one draw adds to the dropout generator's state (mulberry32 is a counter plus a hash). */
const DRAW_INCREMENT = 0x6d2b79f5;

/** Loss and accuracy of the rows one {@link FusedMlpEngine.computeGradients} call covered. */
export interface ShardStats {
  /** Sum of the rows' cross-entropies (not yet divided by the batch size). */
  lossSum: number;
  /** Rows whose arg-max was the label. */
  correct: number;
}

/** Element offsets of one dense layer's buffers in the heap. */
interface LayerSlots {
  inputs: number;
  units: number;
  /** Padded input and unit counts: row strides of the layouts below. */
  inPad: number;
  outPad: number;
  kernel: number;
  bias: number;
  gradKernel: number;
  gradBias: number;
  /** Optimizer state: Adam first/second moments, RMSprop mean square (slot 2 unused for it). */
  state1Kernel: number;
  state2Kernel: number;
  state1Bias: number;
  state2Bias: number;
  /** Pre-activation, then (hidden layers) the activation in place: `rows x outPad`. */
  z: number;
  /** Dropout mask (scale or 0) and masked activation; equal to `z` when there is no dropout. */
  mask: number;
  out: number;
  /** Gradient w.r.t. the pre-activation. */
  dz: number;
}

/** Heap offsets of a symbol embedding table, its gradient and its optimizer state. */
interface EmbeddingSlots {
  dim: number;
  /** Floats in the table: symbols x dim. */
  size: number;
  table: number;
  grad: number;
  state1: number;
  state2: number;
}

/** Bump allocation in floats; every block starts on a 16-byte boundary for aligned SIMD access. */
class Allocator {
  size = 0;
  take(floats: number): number {
    const at = this.size;
    this.size += pad4(floats);
    return at;
  }
}

/**
 * A hand-written MLP trainer: forward, backward (softmax cross-entropy) and Adam/SGD/RMSprop in
 * one preallocated heap; matrix products, ReLU, dropout, bias sums and the batch gather in
 * WebAssembly SIMD kernels. TF.js pays a per-operation dispatch, allocation and tape cost that
 * dominates at these sizes (a 64-32-3 network does ~3 M multiply-adds per batch of 256); here a
 * batch is a dozen kernel calls plus the softmax and optimizer loops in JavaScript.
 *
 * The training inputs are copied into the heap once (when under 512 MB) so batches are gathered
 * there; the same seed gives the same draws as the TF.js engine, which the tests cross-check.
 *
 * Layouts are padded to multiples of 4 (features, units, batch rows) with zeros that provably
 * stay zero (their gradients are zero), so the kernels need no tail handling.
 */
export class FusedMlpEngine implements MlpEngine {
  readonly engine = 'cpu-fused' as const;
  readonly backend = 'cpu-fused';
  readonly details: Record<string, string>;

  private readonly k: MatKernels;
  private readonly heap: Float32Array;
  private readonly layers: LayerSlots[];
  private readonly input: number;
  /** Padded copy of the training inputs and the epoch's row order in the heap; -1 when not resident. */
  private readonly data: number;
  private readonly dataOrder: number;
  private readonly zeros: number;
  private readonly activation: Activation;
  private readonly optimizer: OptimizerName;
  private readonly weightDecay: number;
  private readonly rows: number;
  /** Row stride of the input block and resident data: features, then the symbol embedding, padded. */
  private readonly inStride: number;
  /** The symbol embedding (table, gradient, optimizer state in the heap), when the model has one. */
  private readonly embedding: EmbeddingSlots | null;
  private learningRate: number;
  private step = 0;
  private order: Uint32Array = new Uint32Array(0);
  private lossSum = 0;
  private correct = 0;
  private seen = 0;

  constructor(
    private readonly train: DatasetSplit,
    config: MlpConfig,
    private readonly dropout: DropoutDraws | null,
    kernels: KernelPreference = 'auto',
  ) {
    this.activation = config.activation;
    this.optimizer = config.optimizer;
    this.weightDecay = config.weightDecay ?? 0;
    this.learningRate = config.learningRate;
    const dim = config.symbolEmbedding?.dim ?? 0;
    const sizes = layerSizes(train.features + dim, config.hiddenLayers);
    this.rows = pad4(Math.max(config.batchSize, EVAL_ROWS));
    this.inStride = pad4(sizes[0]!);
    const alloc = new Allocator();
    this.zeros = alloc.take(Math.max(...sizes.map(pad4)));
    this.input = alloc.take(this.rows * this.inStride);
    const resident = train.rows * this.inStride * 4 <= RESIDENT_DATA_MAX_BYTES;
    this.data = resident ? alloc.take(train.rows * this.inStride) : -1;
    const table = dim * (config.symbolEmbedding?.symbols ?? 0);
    this.embedding =
      config.symbolEmbedding === undefined
        ? null
        : {
            dim,
            size: table,
            table: alloc.take(table),
            grad: alloc.take(table),
            state1: alloc.take(table),
            state2: alloc.take(table),
          };
    this.dataOrder = resident ? alloc.take(train.rows) : -1;
    const withDropout = dropout !== null;
    this.layers = sizes.slice(1).map((units, i) => {
      const inputs = sizes[i]!;
      const inPad = pad4(inputs);
      const outPad = pad4(units);
      const hidden = i < sizes.length - 2;
      const z = alloc.take(this.rows * outPad);
      const masked = hidden && withDropout;
      const mask = masked ? alloc.take(this.rows * outPad) : z;
      return {
        inputs,
        units,
        inPad,
        outPad,
        kernel: alloc.take(inPad * outPad),
        bias: alloc.take(outPad),
        gradKernel: alloc.take(inPad * outPad),
        gradBias: alloc.take(outPad),
        state1Kernel: alloc.take(inPad * outPad),
        state2Kernel: alloc.take(inPad * outPad),
        state1Bias: alloc.take(outPad),
        state2Bias: alloc.take(outPad),
        z,
        mask,
        out: masked ? alloc.take(this.rows * outPad) : z,
        dz: alloc.take(this.rows * outPad),
      };
    });
    const wasm = kernels === 'js' ? null : createWasmKernels(alloc.size);
    if (wasm === null && kernels === 'wasm-simd') {
      throw new ValidationError(
        'WebAssembly SIMD is not available in this runtime; use kernels "js" or "auto"',
        {
          details: { field: 'kernels' },
        },
      );
    }
    this.k = wasm ?? createJsKernels(new Float32Array(alloc.size));
    this.heap = this.k.heap;
    this.details = { kernels: this.k.name };
    if (this.data >= 0) {
      const stride = this.inStride;
      for (let r = 0; r < train.rows; r++) {
        this.heap.set(train.x.subarray(r * train.features, (r + 1) * train.features), this.data + r * stride);
      }
    }
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  beginEpoch(order: Uint32Array): void {
    this.order = order;
    if (this.dataOrder >= 0) this.k.heapU32.set(order, this.dataOrder);
    this.lossSum = 0;
    this.correct = 0;
    this.seen = 0;
  }

  trainBatch(start: number, count: number): number {
    const stats = this.computeGradients(start, count, 0, count);
    this.applyGradients();
    return this.countBatch(count, stats);
  }

  /**
   * The gradients of rows `lo .. hi` of the batch `order[start .. start + count)`, left in the
   * gradient blocks (see {@link FusedMlpEngine.copyGradients}) without updating anything: one
   * thread's share of a data-parallel step. Gradients are batch means (divided by `count`, not by
   * `hi - lo`), so the shares of a batch add up to the whole batch's gradient; the dropout draws are
   * the ones these rows get when the whole batch runs on one thread (the generator is skipped ahead),
   * so any split of a batch sees the same masks.
   */
  computeGradients(start: number, count: number, lo: number, hi: number): ShardStats {
    const n = hi - lo;
    const first = start + lo;
    const rows =
      this.data >= 0 ? this.gatherBatch(first, n) : this.loadRows(this.train, this.order, first, n);
    this.embed(this.train, this.order, first, n);
    this.forward(n, rows, this.dropout, count, lo);
    const stats = this.outputGradient(n, rows, this.train.y, this.order, first, 1 / count);
    this.backward(n, rows);
    this.embeddingGradient(this.train, this.order, first, n);
    return stats;
  }

  /** Adds a whole batch's {@link ShardStats} to the epoch's running loss and accuracy; returns the batch loss. */
  countBatch(count: number, stats: ShardStats): number {
    const loss = stats.lossSum * (1 / count);
    this.correct += stats.correct;
    this.lossSum += loss * count;
    this.seen += count;
    return loss;
  }

  /**
   * One optimizer step with the gradients in the gradient blocks (weight decay first), as
   * {@link FusedMlpEngine.trainBatch} takes after {@link FusedMlpEngine.computeGradients}.
   */
  applyGradients(): void {
    this.step++;
    const e = this.embedding;
    if (e !== null) this.update(e.table, e.grad, e.state1, e.state2, e.size);
    for (const l of this.layers) {
      this.update(l.kernel, l.gradKernel, l.state1Kernel, l.state2Kernel, l.inPad * l.outPad);
      this.update(l.bias, l.gradBias, l.state1Bias, l.state2Bias, l.outPad);
    }
  }

  /** Floats in the gradient blocks, all together (what {@link FusedMlpEngine.copyGradients} writes). */
  get gradientSize(): number {
    return this.gradientSlots().reduce((sum, [, n]) => sum + n, 0);
  }

  /** Copies the gradient blocks, in a fixed order, to `into`. */
  copyGradients(into: Float32Array): void {
    let at = 0;
    for (const [offset, n] of this.gradientSlots()) {
      into.set(this.heap.subarray(offset, offset + n), at);
      at += n;
    }
  }

  /**
   * Adds gradients laid out as {@link FusedMlpEngine.copyGradients} writes them to the gradient
   * blocks: `own + other`, one float32 rounding per element. With two shares the sum does not
   * depend on which share was computed here (float addition is commutative).
   */
  addGradients(other: Float32Array): void {
    const heap = this.heap;
    let at = 0;
    for (const [offset, n] of this.gradientSlots()) {
      for (let i = 0; i < n; i++) heap[offset + i] = heap[offset + i]! + other[at + i]!;
      at += n;
    }
  }

  /** Floats of the weights: kernels, biases and the embedding table, padded. */
  get weightSize(): number {
    return this.weightSlots().reduce((sum, [, n]) => sum + n, 0);
  }

  /** Copies the weights (see {@link FusedMlpEngine.weightSize}) to `into`, bit for bit. */
  copyWeights(into: Float32Array): void {
    let at = 0;
    for (const [offset, n] of this.weightSlots()) {
      into.set(this.heap.subarray(offset, offset + n), at);
      at += n;
    }
  }

  /** Loads what {@link FusedMlpEngine.copyWeights} of an engine of the same shape wrote. */
  loadWeights(from: Float32Array): void {
    let at = 0;
    for (const [offset, n] of this.weightSlots()) {
      this.heap.set(from.subarray(at, at + n), offset);
      at += n;
    }
  }

  endEpoch(): Promise<EpochTrainStats> {
    const seen = Math.max(1, this.seen);
    return Promise.resolve({ loss: this.lossSum / seen, accuracy: this.correct / seen });
  }

  evaluate(split: DatasetSplit): Promise<Evaluation> {
    const scored = {
      probabilities: new Float32Array(split.rows * 3),
      predictions: new Int32Array(split.rows),
    };
    const heap = this.heap;
    const last = this.layers[this.layers.length - 1]!;
    let lossSum = 0;
    for (let start = 0; start < split.rows; start += this.rows) {
      const count = Math.min(this.rows, split.rows - start);
      const rows = this.loadRows(split, null, start, count);
      this.embed(split, null, start, count);
      this.forward(count, rows, null);
      for (let i = 0; i < count; i++) {
        const o = last.z + i * last.outPad;
        lossSum += scoreRow(scored, start + i, heap[o]!, heap[o + 1]!, heap[o + 2]!, split.y[start + i]!);
      }
    }
    return Promise.resolve({ loss: split.rows > 0 ? lossSum / split.rows : NaN, ...scored });
  }

  getWeights(): Promise<MlpWeights> {
    const heap = this.heap;
    const layers = this.layers.map((l) => {
      const kernel = new Float32Array(l.inputs * l.units);
      for (let i = 0; i < l.inputs; i++) {
        kernel.set(heap.subarray(l.kernel + i * l.outPad, l.kernel + i * l.outPad + l.units), i * l.units);
      }
      return { inputSize: l.inputs, units: l.units, kernel, bias: heap.slice(l.bias, l.bias + l.units) };
    });
    const e = this.embedding;
    return Promise.resolve({
      inputSize: this.layers[0]!.inputs,
      activation: this.activation,
      dropout: this.dropout?.rate ?? 0,
      layers,
      ...(e === null ? {} : { embedding: { dim: e.dim, table: heap.slice(e.table, e.table + e.size) } }),
    });
  }

  setWeights(weights: MlpWeights): void {
    const heap = this.heap;
    this.layers.forEach((l, index) => {
      const w = weights.layers[index]!;
      heap.fill(0, l.kernel, l.kernel + l.inPad * l.outPad);
      for (let i = 0; i < l.inputs; i++)
        heap.set(w.kernel.subarray(i * l.units, (i + 1) * l.units), l.kernel + i * l.outPad);
      heap.fill(0, l.bias, l.bias + l.outPad);
      heap.set(w.bias, l.bias);
    });
    if (this.embedding !== null && weights.embedding !== undefined)
      heap.set(weights.embedding.table, this.embedding.table);
  }

  getOptimizerState(): Promise<OptimizerState> {
    const tensors = this.optimizerSlots().map(([at, n]) => ({
      shape: [n],
      data: this.heap.slice(at, at + n),
    }));
    return Promise.resolve({ engine: this.engine, step: this.step, tensors });
  }

  setOptimizerState(state: OptimizerState): Promise<void> {
    const slots = this.optimizerSlots();
    if (
      state.engine !== this.engine ||
      state.tensors.length !== slots.length ||
      slots.some(([, n], i) => state.tensors[i]!.data.length !== n)
    ) {
      throw new ValidationError("The checkpoint's optimizer state does not fit this network or engine", {
        details: { field: 'resumeFrom' },
      });
    }
    slots.forEach(([at], i) => this.heap.set(state.tensors[i]!.data, at));
    this.step = state.step;
    return Promise.resolve();
  }

  /** Heap offset and length of every gradient block, in a fixed order. */
  private gradientSlots(): [number, number][] {
    const slots: [number, number][] = [];
    if (this.embedding !== null) slots.push([this.embedding.grad, this.embedding.size]);
    for (const l of this.layers) slots.push([l.gradKernel, l.inPad * l.outPad], [l.gradBias, l.outPad]);
    return slots;
  }

  /** Heap offset and length of every weight block, in a fixed order. */
  private weightSlots(): [number, number][] {
    const slots: [number, number][] = this.layers.flatMap((l): [number, number][] => [
      [l.kernel, l.inPad * l.outPad],
      [l.bias, l.outPad],
    ]);
    if (this.embedding !== null) slots.push([this.embedding.table, this.embedding.size]);
    return slots;
  }

  /** Heap offset and length of every optimizer-state block, in a fixed order. */
  private optimizerSlots(): [number, number][] {
    const slots: [number, number][] = [];
    const e = this.embedding;
    if (e !== null) slots.push([e.state1, e.size], [e.state2, e.size]);
    for (const l of this.layers) {
      const k = l.inPad * l.outPad;
      slots.push(
        [l.state1Kernel, k],
        [l.state2Kernel, k],
        [l.state1Bias, l.outPad],
        [l.state2Bias, l.outPad],
      );
    }
    return slots;
  }

  dispose(): void {
    // The heap is garbage collected with the engine; nothing native to release.
  }

  /** Gathers a batch from the resident training data; returns the padded row count. */
  private gatherBatch(start: number, count: number): number {
    const stride = this.inStride;
    this.k.gatherRows(this.data, this.dataOrder, start, count, stride, this.input);
    const rows = pad4(count);
    this.heap.fill(0, this.input + count * stride, this.input + rows * stride);
    return rows;
  }

  /** Copies `count` rows (in `order` when given) into the input block; returns the padded row count. */
  private loadRows(split: DatasetSplit, order: Uint32Array | null, start: number, count: number): number {
    const heap = this.heap;
    const x = split.x;
    const features = split.features;
    const stride = this.inStride;
    for (let i = 0; i < count; i++) {
      const src = (order === null ? start + i : order[start + i]!) * features;
      const dst = this.input + i * stride;
      for (let f = 0; f < features; f++) heap[dst + f] = x[src + f]!;
    }
    const rows = pad4(count);
    // Padding rows must hold finite values: zero them (they are never read back as results).
    heap.fill(0, this.input + count * stride, this.input + rows * stride);
    return rows;
  }

  /**
   * The forward pass of `count` rows. In training (`dropout` given) these are rows `lo ..` of a
   * batch of `batchCount`: each hidden layer draws its masks from where the whole batch's draws
   * for these rows start (a layer draws `batchCount x units`, row by row), and the generator ends
   * after the whole batch's draws, so a split batch and a whole one draw the same masks.
   */
  private forward(
    count: number,
    rows: number,
    dropout: DropoutDraws | null,
    batchCount = count,
    lo = 0,
  ): void {
    let a = this.input;
    let aStride = this.inStride;
    const lastIndex = this.layers.length - 1;
    const base = dropout?.random.state ?? 0;
    let drawn = 0;
    this.layers.forEach((l, index) => {
      this.k.gemmAB(a, aStride, 1, l.kernel, l.z, l.bias, rows, l.outPad, l.inPad);
      if (index < lastIndex) {
        if (dropout !== null)
          dropout.random.state = (base + Math.imul(drawn + lo * l.units, DRAW_INCREMENT)) | 0;
        this.activate(l, count, dropout);
        drawn += batchCount * l.units;
      }
      a = l.out;
      aStride = l.outPad;
    });
    if (dropout !== null) dropout.random.state = (base + Math.imul(drawn, DRAW_INCREMENT)) | 0;
  }

  /** Activation in place, then the dropout mask (training only) into `out`. */
  private activate(l: LayerSlots, count: number, dropout: DropoutDraws | null): void {
    const { units, outPad, z, mask, out } = l;
    const n = count * outPad;
    if (this.activation === 'relu') {
      // The common case runs entirely in the kernels: draws, ReLU and mask in two passes.
      if (dropout !== null && out !== z) {
        this.k.dropoutFill(dropout, mask, count, units, outPad);
        this.k.relu(z, mask, out, n);
        return;
      }
      this.k.relu(z, -1, z, n);
    } else {
      this.activateScalar(l, count);
    }
    if (out === z) return;
    const heap = this.heap;
    if (dropout === null) {
      heap.copyWithin(out, z, z + n);
      return;
    }
    this.k.dropoutFill(dropout, mask, count, units, outPad);
    for (let i = 0; i < count; i++) {
      const base = i * outPad;
      for (let t = base; t < base + units; t++) heap[out + t] = heap[z + t]! * heap[mask + t]!;
    }
  }

  /** tanh, sigmoid, ELU (and linear: nothing) in place, in plain JavaScript. */
  private activateScalar(l: LayerSlots, count: number): void {
    const heap = this.heap;
    const { units, outPad, z } = l;
    const act = this.activation;
    for (let i = 0; i < count; i++) {
      const row = z + i * outPad;
      const end = row + units;
      if (act === 'tanh') for (let t = row; t < end; t++) heap[t] = Math.tanh(heap[t]!);
      else if (act === 'sigmoid') {
        for (let t = row; t < end; t++) heap[t] = 1 / (1 + Math.exp(-heap[t]!));
        // sigmoid(0) = 0.5: padding columns must stay zero or they would leak into the next layer's gradient.
        heap.fill(0, end, row + outPad);
      } else if (act === 'elu') {
        for (let t = row; t < end; t++) heap[t] = heap[t]! > 0 ? heap[t]! : Math.expm1(heap[t]!);
      }
    }
  }

  /**
   * Softmax cross-entropy of `count` rows: writes dL/dlogits (times `inv`, one over the batch size)
   * and returns the rows' summed loss and correct count.
   */
  private outputGradient(
    count: number,
    rows: number,
    y: Int32Array,
    order: Uint32Array,
    start: number,
    inv: number,
  ): ShardStats {
    const heap = this.heap;
    const l = this.layers[this.layers.length - 1]!;
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < count; i++) {
      const o = l.z + i * l.outPad;
      const d = l.dz + i * l.outPad;
      const z0 = heap[o]!, z1 = heap[o + 1]!, z2 = heap[o + 2]!; // prettier-ignore
      const max = Math.max(z0, z1, z2);
      const e0 = Math.exp(z0 - max), e1 = Math.exp(z1 - max), e2 = Math.exp(z2 - max); // prettier-ignore
      const sum = e0 + e1 + e2;
      const label = y[order[start + i]!]!;
      heap[d] = (e0 / sum - (label === 0 ? 1 : 0)) * inv;
      heap[d + 1] = (e1 / sum - (label === 1 ? 1 : 0)) * inv;
      heap[d + 2] = (e2 / sum - (label === 2 ? 1 : 0)) * inv;
      heap[d + 3] = 0;
      loss += Math.log(sum) - ((label === 0 ? z0 : label === 1 ? z1 : z2) - max);
      const predicted = e0 >= e1 ? (e0 >= e2 ? 0 : 2) : e1 >= e2 ? 1 : 2;
      if (predicted === label) correct++;
    }
    // Padding rows carry no gradient.
    heap.fill(0, l.dz + count * l.outPad, l.dz + rows * l.outPad);
    return { lossSum: loss, correct };
  }

  private backward(count: number, rows: number): void {
    for (let index = this.layers.length - 1; index >= 0; index--) {
      const l = this.layers[index]!;
      const prev = index > 0 ? this.layers[index - 1]! : null;
      const a = prev === null ? this.input : prev.out;
      // dK = Aᵀ · dZ: read A transposed through strides instead of materialising the transpose.
      this.k.gemmAB(a, 1, l.inPad, l.dz, l.gradKernel, this.zeros, l.inPad, l.outPad, rows);
      this.k.columnSums(l.dz, l.gradBias, count, l.outPad);
      if (prev === null) continue;
      // dA(prev) = dZ · Kᵀ, then through dropout and the activation's derivative into dZ(prev).
      this.k.gemmABt(l.dz, l.kernel, prev.dz, rows, l.inPad, l.outPad);
      this.activationGradient(prev, count);
    }
  }

  private activationGradient(l: LayerSlots, count: number): void {
    const { units, outPad, z, dz, mask } = l;
    const masked = mask !== z;
    const act = this.activation;
    if (act === 'relu') {
      this.k.reluGrad(z, masked ? mask : -1, dz, count * outPad);
      return;
    }
    const heap = this.heap;
    for (let i = 0; i < count; i++) {
      const base = i * outPad;
      for (let t = base; t < base + units; t++) {
        const h = heap[z + t]!;
        let g = heap[dz + t]!;
        if (masked) g *= heap[mask + t]!;
        if (act === 'tanh') g *= 1 - h * h;
        else if (act === 'sigmoid') g *= h * (1 - h);
        else if (act === 'elu') g = h > 0 ? g : g * (h + 1);
        heap[dz + t] = g;
      }
    }
  }

  /**
   * Writes each batch row's symbol embedding after its features in the input block (the rows'
   * symbols are `split.groups`, in `order` when given).
   */
  private embed(split: DatasetSplit, order: Uint32Array | null, start: number, count: number): void {
    const e = this.embedding;
    if (e === null) return;
    const heap = this.heap;
    const groups = split.groups!;
    const at = this.input + split.features;
    for (let i = 0; i < count; i++) {
      const g = groups[order === null ? start + i : order[start + i]!]!;
      heap.copyWithin(at + i * this.inStride, e.table + g * e.dim, e.table + (g + 1) * e.dim);
    }
  }

  /**
   * The embedding table's gradient: each row's input gradient over its embedding columns,
   * `dZ₀ · K₀ᵀ` restricted to them, summed into its symbol's row (dZ₀ is already a batch mean).
   * Runs after `backward` and before the kernels are updated, as autodiff would.
   */
  private embeddingGradient(split: DatasetSplit, order: Uint32Array, start: number, count: number): void {
    const e = this.embedding;
    if (e === null) return;
    const heap = this.heap;
    const first = this.layers[0]!;
    const features = split.features;
    heap.fill(0, e.grad, e.grad + e.size);
    for (let i = 0; i < count; i++) {
      const g = split.groups![order[start + i]!]!;
      const dz = first.dz + i * first.outPad;
      for (let j = 0; j < e.dim; j++) {
        const k = first.kernel + (features + j) * first.outPad;
        let sum = 0;
        for (let u = 0; u < first.units; u++) sum += heap[dz + u]! * heap[k + u]!;
        const at = e.grad + g * e.dim + j;
        heap[at] = heap[at]! + sum;
      }
    }
  }

  /**
   * One optimizer step on `n` parameters at `w`, gradients at `g`, optimizer state at `s1`/`s2`.
   * Weight decay first, as PyTorch applies it: `g += decay * w` (padding stays zero: its w is zero).
   */
  private update(w: number, g: number, s1: number, s2: number, n: number): void {
    const heap = this.heap;
    const decay = this.weightDecay;
    if (decay > 0) for (let i = 0; i < n; i++) heap[g + i] = heap[g + i]! + decay * heap[w + i]!;
    const lr = this.learningRate;
    if (this.optimizer === 'adam') {
      this.k.adam(w, g, s1, s2, n, lr, 1 - ADAM.beta1 ** this.step, 1 - ADAM.beta2 ** this.step);
    } else if (this.optimizer === 'rmsprop') {
      this.rmsprop(w, g, s1, n, lr);
    } else {
      this.sgd(w, g, n, lr);
    }
  }

  /** TF.js's RMSprop (no momentum, not centred): `w -= lr * g / sqrt(ms + eps)`. */
  private rmsprop(w: number, g: number, ms: number, n: number, lr: number): void {
    const heap = this.heap;
    for (let i = 0; i < n; i++) {
      const grad = heap[g + i]!;
      const msi = RMS_DECAY * heap[ms + i]! + (1 - RMS_DECAY) * grad * grad;
      heap[ms + i] = msi;
      heap[w + i] = heap[w + i]! - (lr * grad) / Math.sqrt(msi + EPSILON);
    }
  }

  private sgd(w: number, g: number, n: number, lr: number): void {
    const heap = this.heap;
    for (let i = 0; i < n; i++) heap[w + i] = heap[w + i]! - lr * heap[g + i]!;
  }
}
