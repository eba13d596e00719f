import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InternalError } from '@ktrdr/core';
import type { DatasetSplit } from '../../model/dataset';
import type { MlpConfig } from '../../model/mlp-config';
import type { MlpWeights } from '../../model/mlp-weights';
import { workerEntryFor } from '../../worker/worker-entry';
import type { DropoutDraws } from '../dropout-mask';
import type { EpochTrainStats, Evaluation, MlpEngine } from '../mlp-engine';
import type { OptimizerState } from '../training-checkpoint';
import { FusedMlpEngine, type KernelPreference } from './fused-mlp-engine';
import { pad4 } from './mat-kernels';
import {
  COMMAND,
  CONTROL,
  ERROR_BYTES,
  mainGradientsAt,
  PARAM,
  type ShardWorkerData,
} from './shard-protocol';

/** Spins on a control word this many times before sleeping in `Atomics.wait` (a share takes ~100 us). */
const SPINS = 2000;
/** A worker silent this long is taken for dead (a batch's share takes well under a millisecond). */
const WORKER_SILENCE_MS = 60_000;

/**
 * The `cpu-fused` engine on two threads, data parallel: each batch's rows are split in two, the
 * first share computed here and the second by a worker thread holding a replica of the engine. The
 * two gradient shares are exchanged through shared memory and each side adds the other's to its
 * own: with two shares both sums are the same float32 values (addition is commutative), so both
 * sides take bit-identical optimizer steps and never copy weights back. The split is fixed (the
 * first `pad4(ceil(count / 2))` rows here), the dropout masks are the one-thread run's (see
 * {@link FusedMlpEngine.computeGradients}), so a seed gives the same weights run after run; they
 * differ from the one-thread run's only by float32 rounding of the split sums.
 */
export class ParallelFusedMlpEngine implements MlpEngine {
  readonly engine = 'cpu-fused' as const;
  readonly backend = 'cpu-fused';
  readonly details: Record<string, string>;

  private readonly control: Int32Array;
  private readonly params: Float64Array;
  private readonly gradients: Float32Array;
  private readonly state: Float32Array;
  private readonly order: Uint32Array;
  private readonly errorBytes: Uint8Array;
  private readonly gradientSize: number;
  private seq = 0;
  private learningRate: number;
  /** Weights or optimizer state were set here and not yet sent to the worker. */
  private dirty = false;
  private disposed = false;

  private constructor(
    private readonly local: FusedMlpEngine,
    private readonly dropout: DropoutDraws | null,
    private readonly worker: Worker,
    buffers: Pick<ShardWorkerData, 'control' | 'params' | 'gradients' | 'state' | 'order' | 'error'>,
    config: MlpConfig,
  ) {
    this.control = new Int32Array(buffers.control);
    this.params = new Float64Array(buffers.params);
    this.gradients = new Float32Array(buffers.gradients);
    this.state = new Float32Array(buffers.state);
    this.order = new Uint32Array(buffers.order);
    this.errorBytes = new Uint8Array(buffers.error);
    this.gradientSize = local.gradientSize;
    this.learningRate = config.learningRate;
    this.details = { ...local.details, threads: '2' };
  }

  /**
   * Starts the worker (it builds its replica from a copy of `train`) and sends it `initial`
   * weights. Resolves once the worker is ready.
   */
  static async create(
    train: DatasetSplit,
    config: MlpConfig,
    dropout: DropoutDraws | null,
    kernels: KernelPreference = 'auto',
    initial?: MlpWeights,
  ): Promise<ParallelFusedMlpEngine> {
    const local = new FusedMlpEngine(train, config, dropout, kernels);
    if (initial !== undefined) local.setWeights(initial);
    const shared = (bytes: number) => new SharedArrayBuffer(pad4(Math.max(4, bytes)));
    const buffers = {
      control: shared(CONTROL.size * 4),
      params: shared(PARAM.size * 8),
      gradients: shared(local.gradientSize * 3 * 4),
      state: shared(local.stateSize * 4),
      order: shared(train.rows * 4),
      error: shared(ERROR_BYTES),
    };
    const entry = workerEntryFor(shardWorkerFile());
    const workerData: ShardWorkerData = {
      train,
      config,
      // The replica must use the kernels this side got, or the two would round differently.
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
    // Errors after start are reported through shared memory (the main side is blocked in Atomics.wait).
    worker.on('error', () => undefined);
    const engine = new ParallelFusedMlpEngine(local, dropout, worker, buffers, config);
    engine.dirty = true;
    return engine;
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
    this.local.setLearningRate(learningRate);
  }

  beginEpoch(order: Uint32Array): void {
    this.sync();
    this.local.beginEpoch(order);
    this.order.set(order);
    this.params[PARAM.orderLength] = order.length;
    this.command(COMMAND.beginEpoch);
    this.waitForWorker();
  }

  trainBatch(start: number, count: number): number {
    this.sync();
    // The first share here; the worker gets the rest (nothing for a batch of up to 4 rows).
    const split = Math.min(count, pad4(Math.ceil(count / 2)));
    const p = this.params;
    p[PARAM.start] = start;
    p[PARAM.count] = count;
    p[PARAM.lo] = split;
    p[PARAM.hi] = count;
    p[PARAM.dropoutState] = this.dropout?.random.state ?? 0;
    p[PARAM.learningRate] = this.learningRate;
    const seq = this.command(COMMAND.train);
    const mine = this.local.computeGradients(start, count, 0, split);
    this.local.copyGradients(this.gradients, mainGradientsAt(seq, this.gradientSize));
    Atomics.store(this.control, CONTROL.mainGradients, seq);
    Atomics.notify(this.control, CONTROL.mainGradients);
    this.waitForWorker();
    this.local.addGradients(this.gradients, 0);
    this.local.applyGradients();
    return this.local.countBatch(count, {
      lossSum: mine.lossSum + p[PARAM.lossSum]!,
      correct: mine.correct + p[PARAM.correct]!,
    });
  }

  endEpoch(): Promise<EpochTrainStats> {
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
    this.dirty = true;
  }

  getOptimizerState(): Promise<OptimizerState> {
    return this.local.getOptimizerState();
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    await this.local.setOptimizerState(state);
    this.dirty = true;
  }

  /** Stops the worker thread (it is also unref'd: it never keeps a process alive). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.command(COMMAND.stop);
    void this.worker.terminate();
  }

  /** Sends weights and optimizer state set here since the last batch to the worker's replica. */
  private sync(): void {
    if (this.disposed) throw new InternalError('The two-thread training engine was disposed');
    if (!this.dirty) return;
    this.local.copyState(this.state);
    this.params[PARAM.steps] = this.local.steps;
    this.command(COMMAND.load);
    this.waitForWorker();
    this.dirty = false;
  }

  private command(command: number): number {
    const seq = ++this.seq;
    Atomics.store(this.control, CONTROL.command, command);
    Atomics.store(this.control, CONTROL.seq, seq);
    Atomics.notify(this.control, CONTROL.seq);
    return seq;
  }

  /** Blocks until the worker finished command `seq` (spinning briefly first: the wait is usually short). */
  private waitForWorker(): void {
    const seq = this.seq;
    let spins = 0;
    let since = 0;
    for (;;) {
      const seen = Atomics.load(this.control, CONTROL.workerDone);
      if (seen === seq) return;
      if (Atomics.load(this.control, CONTROL.failed) !== 0) throw this.failure();
      if (spins < SPINS) {
        spins++;
        continue;
      }
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
    return new InternalError(`The second training thread failed: ${message}`);
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
