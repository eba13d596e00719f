import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InternalError } from '@ktrdr/core';
import type { DatasetSplit } from '../../model/dataset';
import type { MlpConfig } from '../../model/mlp-config';
import type { MlpWeights } from '../../model/mlp-weights';
import { workerEntryFor } from '../../threads/worker-script';
import type { DropoutDraws } from '../dropout-mask';
import type { EpochTrainStats, Evaluation, MlpEngine } from '../mlp-engine';
import type { OptimizerState } from '../training-checkpoint';
import { FusedMlpEngine, type KernelPreference, type ShardStats } from './fused-mlp-engine';
import { pad4 } from './mat-kernels';
import { claimShare, CONTROL, ERROR_BYTES, PARAM, type ShardWorkerData, SPINS } from './shard-protocol';

/**
 * Who computes each batch's second share: the first to claim it (`auto`), always the worker, or
 * always the calling thread. Only tests pin it, to show both give the same bits.
 * @internal
 */
export type ShareMode = 'auto' | 'worker' | 'here';

/** A worker silent this long while computing a share is taken for dead (a share takes well under a millisecond). */
const WORKER_SILENCE_MS = 60_000;

/**
 * The `cpu-fused` engine on two threads, data parallel. Each batch's rows are split in two at a
 * fixed point (`pad4(ceil(count / 2))`): this thread computes the first share; a worker thread
 * with an engine of the same shape computes the second from the weights published here, unless
 * this thread gets to it first (the worker was slow to wake up on a busy machine), then computes
 * it too. The two shares' gradients are added (`a + b`, commutative, so it does not matter who
 * computed which) and this thread takes the optimizer step. The dropout masks are the one-thread
 * run's (see {@link FusedMlpEngine.computeGradients}), so a seed gives the same weights run after
 * run; they differ from the one-thread run's only by the float32 rounding of the split sums.
 */
export class ParallelFusedMlpEngine implements MlpEngine {
  readonly engine = 'cpu-fused' as const;
  readonly backend = 'cpu-fused';
  readonly details: Record<string, string>;

  private readonly control: Int32Array;
  private readonly params: Float64Array;
  private readonly weights: Float32Array;
  private readonly gradients: Float32Array;
  private readonly order: Uint32Array;
  private readonly errorBytes: Uint8Array;
  /** The first share's gradients while this thread computes the second one too. */
  private readonly scratch: Float32Array;
  private seq = 0;
  /** Second shares the worker computed, of all; in `details.workerShares` after each epoch. */
  private workerShares = 0;
  private shares = 0;

  private constructor(
    private readonly local: FusedMlpEngine,
    private readonly dropout: DropoutDraws | null,
    private readonly worker: Worker,
    private readonly mode: ShareMode,
    buffers: Pick<ShardWorkerData, 'control' | 'params' | 'weights' | 'gradients' | 'order' | 'error'>,
  ) {
    this.control = new Int32Array(buffers.control);
    this.params = new Float64Array(buffers.params);
    this.weights = new Float32Array(buffers.weights);
    this.gradients = new Float32Array(buffers.gradients);
    this.order = new Uint32Array(buffers.order);
    this.errorBytes = new Uint8Array(buffers.error);
    this.scratch = new Float32Array(local.gradientSize);
    this.details = { ...local.details, threads: '2' };
  }

  /** Starts the worker (it builds its engine from a copy of `train`); resolves once it is ready. */
  static async create(
    train: DatasetSplit,
    config: MlpConfig,
    dropout: DropoutDraws | null,
    kernels: KernelPreference = 'auto',
    initial?: MlpWeights,
    mode: ShareMode = 'auto',
  ): Promise<ParallelFusedMlpEngine> {
    const local = new FusedMlpEngine(train, config, dropout, kernels);
    if (initial !== undefined) local.setWeights(initial);
    const shared = (bytes: number) => new SharedArrayBuffer(pad4(Math.max(4, bytes)));
    const buffers = {
      control: shared(CONTROL.size * 4),
      params: shared(PARAM.size * 8),
      weights: shared(local.weightSize * 4),
      gradients: shared(local.gradientSize * 4),
      order: shared(train.rows * 4),
      error: shared(ERROR_BYTES),
    };
    const entry = workerEntryFor(shardWorkerFile());
    const workerData: ShardWorkerData = {
      train,
      config,
      // The worker must use the kernels this side got, or a share would round differently there.
      kernels: local.details['kernels'] === 'js' ? 'js' : 'wasm-simd',
      ...buffers,
      ...(entry.tsxEntry === undefined ? {} : { tsxEntry: entry.tsxEntry }),
    };
    const worker = new Worker(entry.file, { workerData });
    worker.unref();
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`exited with code ${code} while starting`)));
      });
    } catch (error) {
      void worker.terminate();
      throw new InternalError(`The second training thread could not start: ${(error as Error).message}`, {
        cause: error,
      });
    }
    worker.removeAllListeners();
    // Later failures are reported through shared memory (this thread may be blocked in Atomics.wait).
    worker.on('error', () => undefined);
    return new ParallelFusedMlpEngine(local, dropout, worker, mode, buffers);
  }

  setLearningRate(learningRate: number): void {
    this.local.setLearningRate(learningRate);
  }

  beginEpoch(order: Uint32Array): void {
    this.local.beginEpoch(order);
    // No share is being computed between batches: the worker reads the order on its next claim.
    this.order.set(order);
    this.params[PARAM.orderLength] = order.length;
    Atomics.add(this.control, CONTROL.epoch, 1);
  }

  trainBatch(start: number, count: number): number {
    if (Atomics.load(this.control, CONTROL.failed) !== 0) throw this.failure();
    const split = Math.min(count, pad4(Math.ceil(count / 2)));
    const base = this.dropout?.random.state ?? 0;
    let other: ShardStats = { lossSum: 0, correct: 0 };
    if (split === count) {
      // A batch of up to 4 rows: nothing to share.
      const mine = this.local.computeGradients(start, count, 0, count);
      return this.step(count, mine, other);
    }
    const seq = this.mode === 'here' ? 0 : this.publish(start, count, split, base);
    const mine = this.local.computeGradients(start, count, 0, split);
    this.shares++;
    if (seq === 0 || (this.mode === 'auto' && claimShare(this.control, seq))) {
      this.local.copyGradients(this.scratch);
      if (this.dropout !== null) this.dropout.random.state = base;
      other = this.local.computeGradients(start, count, split, count);
      this.local.addGradients(this.scratch);
    } else {
      this.workerShares++;
      this.waitForWorker(seq);
      this.local.addGradients(this.gradients);
      other = { lossSum: this.params[PARAM.lossSum]!, correct: this.params[PARAM.correct]! };
    }
    return this.step(count, mine, other);
  }

  endEpoch(): Promise<EpochTrainStats> {
    // How much the second thread helped: on a busy machine it may wake too late for some batches.
    this.details['workerShares'] = `${this.workerShares}/${this.shares}`;
    return this.local.endEpoch();
  }

  evaluate(split: DatasetSplit): Promise<Evaluation> {
    return this.local.evaluate(split);
  }

  getWeights(): Promise<MlpWeights> {
    return this.local.getWeights();
  }

  setWeights(weights: MlpWeights): void {
    this.local.setWeights(weights);
  }

  getOptimizerState(): Promise<OptimizerState> {
    return this.local.getOptimizerState();
  }

  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.local.setOptimizerState(state);
  }

  /** Stops the worker thread (it is also unref'd: it never keeps a process alive). */
  dispose(): void {
    Atomics.store(this.control, CONTROL.stop, 1);
    Atomics.add(this.control, CONTROL.seq, 1);
    Atomics.notify(this.control, CONTROL.seq);
    void this.worker.terminate();
  }

  /** Publishes the batch and the current weights for the worker; returns the batch's number. */
  private publish(start: number, count: number, split: number, dropoutState: number): number {
    const p = this.params;
    p[PARAM.start] = start;
    p[PARAM.count] = count;
    p[PARAM.lo] = split;
    p[PARAM.hi] = count;
    p[PARAM.dropoutState] = dropoutState;
    this.local.copyWeights(this.weights);
    const seq = ++this.seq;
    Atomics.store(this.control, CONTROL.seq, seq);
    Atomics.notify(this.control, CONTROL.seq);
    return seq;
  }

  private step(count: number, mine: ShardStats, other: ShardStats): number {
    this.local.applyGradients();
    return this.local.countBatch(count, {
      lossSum: mine.lossSum + other.lossSum,
      correct: mine.correct + other.correct,
    });
  }

  /** Blocks until the worker published its share of batch `seq` (spinning first: it is usually close). */
  private waitForWorker(seq: number): void {
    let since = 0;
    for (let spins = 0; ; spins++) {
      const seen = Atomics.load(this.control, CONTROL.workerDone);
      if (seen === seq) return;
      if (Atomics.load(this.control, CONTROL.failed) !== 0) throw this.failure();
      if (spins < SPINS) continue;
      since ||= performance.now();
      if (performance.now() - since > WORKER_SILENCE_MS) {
        throw new InternalError(
          `The second training thread did not answer for ${WORKER_SILENCE_MS / 1000} s; train with threads: 1`,
        );
      }
      Atomics.wait(this.control, CONTROL.workerDone, seen, 100);
    }
  }

  private failure(): InternalError {
    const end = this.errorBytes.indexOf(0);
    const message = new TextDecoder().decode(this.errorBytes.slice(0, end < 0 ? ERROR_BYTES : end));
    return new InternalError(`The second training thread failed: ${message}; train with threads: 1`);
  }
}

/**
 * The shard worker's script: `shard-worker.js`/`.cjs` beside the bundled entry (tsup builds it as
 * its own entry), or `shard-worker.ts` beside this file when running from sources.
 */
function shardWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  const ext = path.extname(here);
  const names =
    ext === '.ts' ? ['shard-worker.ts'] : [`shard-worker${ext}`, 'shard-worker.js', 'shard-worker.cjs'];
  for (const name of names) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new InternalError(
    `The training shard worker was not found next to ${here} (looked for ${names.join(', ')}); rebuild @ktrdr/training`,
  );
}
