/**
 * The second thread of a two-thread fused engine: a replica of the main side's engine that
 * computes its share of every batch, then takes the same optimizer step on the same summed
 * gradients, so its weights stay bit-identical to the main side's without being copied back.
 * Driven entirely over shared memory (see shard-protocol.ts); it never needs its event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DropoutDraws } from '../dropout-mask';
import { SeededRandom } from '../seeded-random';
import { FusedMlpEngine } from './fused-mlp-engine';
import {
  COMMAND,
  CONTROL,
  ERROR_BYTES,
  mainGradientsAt,
  PARAM,
  type ShardWorkerData,
} from './shard-protocol';

const data = workerData as ShardWorkerData;
const control = new Int32Array(data.control);
const params = new Float64Array(data.params);
const gradients = new Float32Array(data.gradients);
const state = new Float32Array(data.state);
const order = new Uint32Array(data.order);
const dropout = data.config.dropout > 0 ? new DropoutDraws(new SeededRandom(0), data.config.dropout) : null;
const engine = new FusedMlpEngine(data.train, data.config, dropout, data.kernels);
const size = engine.gradientSize;

/**
 * Blocks until control word `index` reaches `value` (the main side notifies it). At least, not
 * exactly: the main side may already have written its gradients of the next batch.
 */
function waitFor(index: number, value: number): void {
  for (;;) {
    const seen = Atomics.load(control, index);
    if (seen >= value) return;
    Atomics.wait(control, index, seen, 1000);
  }
}

function done(seq: number): void {
  Atomics.store(control, CONTROL.workerDone, seq);
  Atomics.notify(control, CONTROL.workerDone);
}

function train(seq: number): void {
  const [start, count, lo, hi] = [PARAM.start, PARAM.count, PARAM.lo, PARAM.hi].map((p) => params[p]!);
  if (dropout !== null) dropout.random.state = params[PARAM.dropoutState]! | 0;
  engine.setLearningRate(params[PARAM.learningRate]!);
  if (hi! > lo!) {
    const stats = engine.computeGradients(start!, count!, lo!, hi!);
    engine.copyGradients(gradients, 0);
    params[PARAM.lossSum] = stats.lossSum;
    params[PARAM.correct] = stats.correct;
  } else {
    // No rows here (a batch too small to split): a zero share, so both sides still add the same sum.
    gradients.fill(0, 0, size);
    params[PARAM.lossSum] = 0;
    params[PARAM.correct] = 0;
  }
  done(seq);
  waitFor(CONTROL.mainGradients, seq);
  engine.addGradients(gradients, mainGradientsAt(seq, size));
  engine.applyGradients();
}

function loop(): void {
  let seq = 0;
  for (;;) {
    Atomics.wait(control, CONTROL.seq, seq, 1000);
    const next = Atomics.load(control, CONTROL.seq);
    if (next === seq) continue;
    seq = next;
    switch (Atomics.load(control, CONTROL.command)) {
      case COMMAND.train:
        train(seq);
        break;
      case COMMAND.beginEpoch:
        engine.beginEpoch(order.subarray(0, params[PARAM.orderLength]!));
        done(seq);
        break;
      case COMMAND.load:
        engine.loadState(state, params[PARAM.steps]!);
        done(seq);
        break;
      default:
        done(seq);
        return;
    }
  }
}

parentPort?.postMessage({ type: 'ready' });
try {
  loop();
} catch (error) {
  const bytes = new TextEncoder()
    .encode(error instanceof Error ? error.message : String(error))
    .subarray(0, ERROR_BYTES);
  new Uint8Array(data.error).set(bytes);
  Atomics.store(control, CONTROL.failed, 1);
  Atomics.notify(control, CONTROL.workerDone);
}
