import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { CancelledError, ValidationError } from '@ktrdr/core';
import { selectTfBackend, TF_BACKEND_ENV } from '../backend/tf-backend';
import { type DatasetSplit, type TrainingData, validateTrainingData } from '../model/dataset';
import { learningRateForEpoch, type MlpConfig, validateMlpConfig } from '../model/mlp-config';
import type { MlpWeights } from '../model/mlp-weights';
import { initMlpWeights } from './init-mlp-weights';
import { BalancedBatches } from './balanced-batches';
import { type ClassificationMetrics, classificationMetrics } from './classification-metrics';
import { DropoutDraws } from './dropout-mask';
import { EarlyStopping } from './early-stopping';
import { FusedMlpEngine } from './fused/fused-mlp-engine';
import { ParallelFusedMlpEngine } from './fused/parallel-fused-engine';
import { resolveTrainingThreads } from './fused/training-threads';
import type { MlpEngine } from './mlp-engine';
import { deriveSeed, RANDOM_STREAMS, SeededRandom } from './seeded-random';
import { TfjsMlpEngine } from './tfjs-mlp-engine';
import { DEFAULT_CHECKPOINT_EVERY, type TrainingCheckpoint } from './training-checkpoint';
import type { EpochMetrics, TrainingResult, TrainMlpOptions } from './training-types';

const DEFAULT_YIELD_MS = 20;

/**
 * Trains an MLP on `data` per `config`: seeded initialisation, a seeded shuffle per epoch,
 * mini-batches, the learning-rate schedule, early stopping with the best weights restored, and
 * validation/test metrics. Runs on the calling thread (yielding to the event loop every
 * `yieldEveryMs`); use `TrainingWorkerPool` to train in a worker thread.
 *
 * With `options.checkpoint`, the full training state is saved every few epochs; with
 * `options.resumeFrom`, a run continues after the checkpoint's epoch and ends exactly as the
 * uninterrupted run would have (the `cpu-fused` engine: bit for bit).
 *
 * @throws ValidationError for a bad config or data (`details.field` names it), or a checkpoint of
 *   another configuration, data or engine.
 * @throws CancelledError when `options.signal` aborts; the run stops at the next batch.
 */
export async function trainMlp(
  data: TrainingData,
  config: MlpConfig,
  options: TrainMlpOptions = {},
): Promise<TrainingResult> {
  const started = performance.now();
  validateMlpConfig(config);
  const features = validateTrainingData(data);
  const validation = nonEmpty(data.validation);
  const test = nonEmpty(data.test);
  if (config.earlyStopping?.monitor.startsWith('val_') === true && validation === undefined) {
    throw new ValidationError(
      `Early stopping monitors ${config.earlyStopping.monitor} but no validation split was given; add one or monitor "loss"`,
      { details: { field: 'earlyStopping.monitor' } },
    );
  }
  if (config.symbolEmbedding !== undefined) checkSymbols(data, config.symbolEmbedding.symbols);
  const resume = options.resumeFrom;
  if (resume !== undefined) checkResume(resume, config, data.train);
  const cancel = cancellation(options);
  cancel.check(0, 0);

  const initial = initMlpWeights(features, config);
  const dropout =
    config.dropout > 0
      ? new DropoutDraws(new SeededRandom(deriveSeed(config.seed, RANDOM_STREAMS.dropout)), config.dropout)
      : null;
  const engine = await createEngine(data.train, config, initial, dropout, options);
  try {
    if (resume !== undefined) {
      if (resume.optimizer.engine !== engine.engine) {
        throw new ValidationError(
          `The checkpoint was taken by the ${resume.optimizer.engine} engine; this run uses ${engine.engine}`,
          { details: { field: 'resumeFrom' } },
        );
      }
      engine.setWeights(resume.weights);
      await engine.setOptimizerState(resume.optimizer);
      if (dropout !== null && resume.loop.dropoutState !== undefined)
        dropout.random.state = resume.loop.dropoutState;
    }
    const loop = await runEpochs(engine, data.train, validation, config, options, cancel, dropout);
    const weights = await engine.getWeights();
    const validationMetrics = validation === undefined ? undefined : await evaluate(engine, validation);
    const testMetrics = test === undefined ? undefined : await evaluate(engine, test);
    const testByGroup =
      test?.groups === undefined ? undefined : await evaluateByGroup(engine, test, test.groups);
    cancel.check(loop.history.length, 0);
    return {
      weights,
      config,
      features,
      history: loop.history,
      ...(validationMetrics === undefined ? {} : { validation: validationMetrics }),
      ...(testMetrics === undefined ? {} : { test: testMetrics }),
      ...(testByGroup === undefined ? {} : { testByGroup }),
      bestEpoch: loop.bestEpoch,
      stoppedEarly: loop.stoppedEarly,
      epochsRun: loop.history.length,
      engine: engine.engine,
      backend: engine.backend,
      details: engine.details,
      durationMs: performance.now() - started,
      samplesPerSecond:
        loop.trainMs > 0 ? (loop.rowsPerEpoch * loop.history.length) / (loop.trainMs / 1000) : 0,
    };
  } finally {
    engine.dispose();
  }
}

interface LoopOutcome {
  history: EpochMetrics[];
  bestEpoch: number;
  stoppedEarly: boolean;
  trainMs: number;
  rowsPerEpoch: number;
}

async function runEpochs(
  engine: MlpEngine,
  train: DatasetSplit,
  validation: DatasetSplit | undefined,
  config: MlpConfig,
  options: TrainMlpOptions,
  cancel: Cancellation,
  dropout: DropoutDraws | null,
): Promise<LoopOutcome> {
  const resume = options.resumeFrom;
  const shuffle = new SeededRandom(deriveSeed(config.seed, RANDOM_STREAMS.shuffle));
  const balanced = train.groups === undefined ? null : BalancedBatches.create(train.groups, config.batchSize);
  const allRows = new Uint32Array(train.rows);
  for (let i = 0; i < allRows.length; i++) allRows[i] = i;
  // Several symbols: every batch holds an equal share of each (see BalancedBatches).
  const order = balanced === null ? allRows : allRows.subarray(0, balanced.length);
  const batchSize = balanced?.batchSize ?? config.batchSize;
  const totalBatches = Math.ceil(order.length / batchSize);
  const every = Math.max(1, Math.floor(options.batchProgressEvery ?? 1));
  const yieldMs = options.yieldEveryMs ?? DEFAULT_YIELD_MS;
  const emit = options.onProgress ?? (() => undefined);
  const early = config.earlyStopping === undefined ? null : new EarlyStopping(config.earlyStopping);
  const history: EpochMetrics[] = [...(resume?.history ?? [])];
  let best: MlpWeights | null = resume?.loop.bestWeights ?? null;
  let stoppedEarly = false;
  let trainMs = resume?.loop.trainMs ?? 0;
  let lastYield = performance.now();
  if (resume !== undefined) {
    shuffle.state = resume.loop.shuffleState;
    allRows.set(resume.loop.order);
    if (balanced !== null && resume.loop.balanced !== undefined) balanced.restore(resume.loop.balanced);
    if (early !== null && resume.loop.early !== undefined) early.restore(resume.loop.early);
  }
  let dataHash = resume?.dataHash;
  const saveEvery = Math.max(1, Math.floor(options.checkpoint?.every ?? DEFAULT_CHECKPOINT_EVERY));

  for (let epoch = resume?.epoch ?? 0; epoch < config.epochs; epoch++) {
    const epochStart = performance.now();
    const learningRate = learningRateForEpoch(config, epoch);
    engine.setLearningRate(learningRate);
    if (balanced === null) shuffle.shuffle(order);
    else balanced.fill(order, shuffle);
    engine.beginEpoch(order);
    const base = {
      epoch: epoch + 1,
      totalEpochs: config.epochs,
      totalBatches,
      backend: engine.backend,
      engine: engine.engine,
    };
    for (let batch = 0; batch < totalBatches; batch++) {
      cancel.check(epoch + 1, batch + 1);
      const start = batch * batchSize;
      const t0 = performance.now();
      const loss = engine.trainBatch(start, Math.min(batchSize, order.length - start));
      const now = performance.now();
      trainMs += now - t0;
      if ((batch + 1) % every === 0 || batch + 1 === totalBatches) {
        const lossText = loss === undefined ? '' : `, loss ${loss.toFixed(4)}`;
        emit({
          type: 'batch',
          ...base,
          batch: batch + 1,
          progressPercent: percent(epoch, batch + 1, totalBatches, config.epochs),
          message: `Epoch ${epoch + 1}/${config.epochs}, batch ${batch + 1}/${totalBatches}${lossText}`,
          ...(loss === undefined ? {} : { loss }),
        });
      }
      if (now - lastYield >= yieldMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    const stats = await engine.endEpoch();
    const val = validation === undefined ? undefined : await engine.evaluate(validation);
    const metrics: EpochMetrics = {
      epoch: epoch + 1,
      loss: stats.loss,
      accuracy: stats.accuracy,
      ...(val === undefined || validation === undefined
        ? {}
        : { valLoss: val.loss, valAccuracy: accuracyOf(validation.y, val.predictions) }),
      learningRate,
      durationMs: performance.now() - epochStart,
    };
    history.push(metrics);
    const valText =
      metrics.valLoss === undefined
        ? ''
        : `, val_loss ${metrics.valLoss.toFixed(4)}, val_acc ${metrics.valAccuracy!.toFixed(4)}`;
    emit({
      type: 'epoch',
      ...base,
      batch: totalBatches,
      progressPercent: percent(epoch + 1, 0, totalBatches, config.epochs),
      message: `Epoch ${epoch + 1}/${config.epochs}: loss ${metrics.loss.toFixed(4)}, acc ${metrics.accuracy.toFixed(4)}${valText}`,
      metrics,
    });
    if (early !== null) {
      const decision = early.update(epoch, monitored(metrics, config));
      if (decision.improved) best = await engine.getWeights();
      if (decision.stop && epoch + 1 < config.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    if (options.checkpoint !== undefined && (epoch + 1) % saveEvery === 0 && epoch + 1 < config.epochs) {
      await options.checkpoint.store.save({
        version: 1,
        epoch: epoch + 1,
        config,
        rows: train.rows,
        features: train.features,
        dataHash: (dataHash ??= hashSplit(train)),
        weights: await engine.getWeights(),
        optimizer: await engine.getOptimizerState(),
        loop: {
          shuffleState: shuffle.state,
          order: allRows.slice(),
          ...(balanced === null ? {} : { balanced: balanced.snapshot() }),
          ...(dropout === null ? {} : { dropoutState: dropout.random.state }),
          ...(early === null ? {} : { early: early.snapshot() }),
          ...(best === null ? {} : { bestWeights: best }),
          trainMs,
        },
        history: [...history],
        createdAt: new Date().toISOString(),
      });
      options.onCheckpoint?.(epoch + 1);
    }
    await yieldToEventLoop();
    lastYield = performance.now();
  }
  // Restore the best epoch's weights whether or not patience ran out (the reference behaviour).
  if (best !== null) engine.setWeights(best);
  const bestEpoch = early !== null && early.bestEpoch >= 0 ? early.bestEpoch + 1 : history.length;
  return { history, bestEpoch, stoppedEarly, trainMs, rowsPerEpoch: order.length };
}

async function createEngine(
  train: DatasetSplit,
  config: MlpConfig,
  initial: MlpWeights,
  dropout: DropoutDraws | null,
  options: TrainMlpOptions,
): Promise<MlpEngine> {
  const choice = options.engine ?? 'auto';
  const threads = resolveTrainingThreads(options.threads);
  const fused = async (): Promise<MlpEngine> => {
    if (threads === 2) return ParallelFusedMlpEngine.create(train, config, dropout, options.kernels, initial);
    const engine = new FusedMlpEngine(train, config, dropout, options.kernels);
    engine.setWeights(initial);
    return engine;
  };
  if (choice === 'cpu-fused' || (choice === 'auto' && !wantsTfjs(options))) return fused();
  if (choice === 'tfjs' && options.threads === 2) {
    throw new ValidationError('threads: 2 needs the cpu-fused engine; the tfjs engine trains on one thread', {
      details: { field: 'threads' },
    });
  }
  const selected = await selectTfBackend(options.backend === undefined ? {} : { backend: options.backend });
  if (
    choice === 'auto' &&
    selected.name !== 'tensorflow' &&
    selected.name !== 'tensorflow-gpu' &&
    !forced(options)
  ) {
    return fused();
  }
  return new TfjsMlpEngine(selected.tf, selected.name, train, config, initial, dropout);
}

/** A checkpoint resumes only the run it was taken of: same configuration, same training data shape. */
function checkResume(resume: TrainingCheckpoint, config: MlpConfig, train: DatasetSplit): void {
  const fail = (why: string): never => {
    throw new ValidationError(`Cannot resume from this checkpoint: ${why}`, {
      details: { field: 'resumeFrom' },
    });
  };
  if (resume.version !== 1) fail(`unknown checkpoint version ${String(resume.version)}`);
  if (JSON.stringify(resume.config) !== JSON.stringify(config))
    fail('it was taken with another configuration');
  if (resume.rows !== train.rows || resume.features !== train.features) {
    fail(
      `it was taken on ${resume.rows} rows x ${resume.features} features, this run has ${train.rows} x ${train.features}`,
    );
  }
  if (resume.dataHash !== hashSplit(train)) fail('it was taken on other training data');
  if (resume.epoch >= config.epochs) fail(`it is after epoch ${resume.epoch} of ${config.epochs}`);
}

/** SHA-256 of a split's inputs, labels and symbols (a few ms per million values). */
function hashSplit(split: DatasetSplit): string {
  const hash = createHash('sha256');
  for (const array of [split.x, split.y, split.groups]) {
    if (array !== undefined) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  return hash.digest('hex');
}

/** Every split carries a symbol index per row, below the embedding's symbol count. */
function checkSymbols(data: TrainingData, symbols: number): void {
  for (const name of ['train', 'validation', 'test'] as const) {
    const split = data[name];
    if (split === undefined || split.rows === 0) continue;
    if (split.groups === undefined) {
      throw new ValidationError(
        `A symbol embedding needs the symbol of every row: ${name}.groups is missing`,
        { details: { field: `${name}.groups` } },
      );
    }
    if (split.groups.some((g) => g < 0 || g >= symbols)) {
      throw new ValidationError(`${name}.groups holds a symbol index outside [0, ${symbols})`, {
        details: { field: `${name}.groups` },
      });
    }
  }
}

/** A TF.js backend was forced, or a native TF.js package is installed (resolvable, not yet loaded). */
function wantsTfjs(options: TrainMlpOptions): boolean {
  if (forced(options)) return true;
  const require = createRequire(import.meta.url);
  return ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((specifier) => {
    try {
      require.resolve(specifier);
      return true;
    } catch {
      return false;
    }
  });
}

function forced(options: TrainMlpOptions): boolean {
  const fromEnv = process.env[TF_BACKEND_ENV]?.trim();
  return (
    (options.backend !== undefined && options.backend !== 'auto') ||
    (fromEnv !== undefined && fromEnv !== '' && fromEnv !== 'auto')
  );
}

async function evaluate(engine: MlpEngine, split: DatasetSplit) {
  const result = await engine.evaluate(split);
  return classificationMetrics(split.y, result.predictions, result.loss);
}

/**
 * Metrics of the rows of each group (symbol) of `split`, indexed by group; a group without rows
 * gets no entry.
 */
async function evaluateByGroup(
  engine: MlpEngine,
  split: DatasetSplit,
  groups: Int32Array,
): Promise<(ClassificationMetrics | null)[]> {
  const result = await engine.evaluate(split);
  let count = 0;
  for (const g of groups) count = Math.max(count, g + 1);
  return Array.from({ length: count }, (_, group) => {
    const rows: number[] = [];
    groups.forEach((g, row) => {
      if (g === group) rows.push(row);
    });
    if (rows.length === 0) return null;
    const y = Int32Array.from(rows, (r) => split.y[r]!);
    const predictions = Int32Array.from(rows, (r) => result.predictions[r]!);
    let loss = 0;
    for (const r of rows) loss -= Math.log(Math.max(result.probabilities[r * 3 + split.y[r]!]!, 1e-12));
    return classificationMetrics(y, predictions, loss / rows.length);
  });
}

function monitored(metrics: EpochMetrics, config: MlpConfig): number {
  switch (config.earlyStopping?.monitor) {
    case 'val_loss':
      return metrics.valLoss ?? NaN;
    case 'val_accuracy':
      return metrics.valAccuracy ?? NaN;
    case 'accuracy':
      return metrics.accuracy;
    default:
      return metrics.loss;
  }
}

function accuracyOf(y: Int32Array, predictions: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === predictions[i]) correct++;
  return y.length > 0 ? correct / y.length : NaN;
}

function percent(epoch: number, batch: number, totalBatches: number, epochs: number): number {
  return Math.min(100, ((epoch + batch / totalBatches) / epochs) * 100);
}

function nonEmpty(split: DatasetSplit | undefined): DatasetSplit | undefined {
  return split !== undefined && split.rows > 0 ? split : undefined;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Cancellation {
  check(epoch: number, batch: number): void;
}

function cancellation(options: TrainMlpOptions): Cancellation {
  const { signal, cancelFlag } = options;
  return {
    check(epoch, batch) {
      const flagged = cancelFlag !== undefined && Atomics.load(cancelFlag, 0) !== 0;
      if (signal?.aborted !== true && !flagged) return;
      const where = epoch === 0 ? 'before the first batch' : `at epoch ${epoch}, batch ${batch}`;
      throw new CancelledError(`Training cancelled ${where}`, {
        details: { epoch, batch },
        ...(signal?.aborted === true && signal.reason !== undefined ? { cause: signal.reason } : {}),
      });
    },
  };
}
