/**
 * The second thread of the two-thread fused engine: an engine of the same shape that, for each
 * batch whose second share it claims, loads the main side's weights, computes that share's
 * gradients and publishes them. It keeps no optimizer state (the main side steps) and is driven
 * entirely over shared memory (see shard-protocol.ts): it never needs its event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DropoutDraws } from '../dropout-mask';
import { SeededRandom } from '../seeded-random';
import { FusedMlpEngine } from './fused-mlp-engine';
import { claimShare, CONTROL, ERROR_BYTES, PARAM, type ShardWorkerData, SPINS } from './shard-protocol';

const data = workerData as ShardWorkerData;
const control = new Int32Array(data.control);
const params = new Float64Array(data.params);
const weights = new Float32Array(data.weights);
const gradients = new Float32Array(data.gradients);
const order = new Uint32Array(data.order);
const dropout = data.config.dropout > 0 ? new DropoutDraws(new SeededRandom(0), data.config.dropout) : null;
const engine = new FusedMlpEngine(data.train, data.config, dropout, data.kernels);

/** Waits for a batch after `seen` (spinning first: the next one usually comes within microseconds). */
function nextBatch(seen: number): number {
  for (let spins = 0; ; spins++) {
    const seq = Atomics.load(control, CONTROL.seq);
    if (seq !== seen || Atomics.load(control, CONTROL.stop) !== 0) return seq;
    if (spins >= SPINS) Atomics.wait(control, CONTROL.seq, seen, 1000);
  }
}

/** Computes and publishes the claimed share of batch `seq`; returns the epoch whose row order it used. */
function computeShare(seq: number, epoch: number): number {
  // The main side publishes an epoch's order only while no share is being computed.
  const current = Atomics.load(control, CONTROL.epoch);
  if (current !== epoch) engine.beginEpoch(order.subarray(0, params[PARAM.orderLength]!));
  engine.loadWeights(weights);
  if (dropout !== null) dropout.random.state = params[PARAM.dropoutState]! | 0;
  const stats = engine.computeGradients(
    params[PARAM.start]!,
    params[PARAM.count]!,
    params[PARAM.lo]!,
    params[PARAM.hi]!,
  );
  engine.copyGradients(gradients);
  params[PARAM.lossSum] = stats.lossSum;
  params[PARAM.correct] = stats.correct;
  Atomics.store(control, CONTROL.workerDone, seq);
  Atomics.notify(control, CONTROL.workerDone);
  return current;
}

function loop(): void {
  let seen = 0;
  let epoch = 0;
  for (;;) {
    const seq = nextBatch(seen);
    if (Atomics.load(control, CONTROL.stop) !== 0) return;
    seen = seq;
    if (!claimShare(control, seq)) continue;
    epoch = computeShare(seq, epoch);
  }
}

parentPort?.postMessage({ type: 'ready' });
try {
  loop();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  new Uint8Array(data.error).set(new TextEncoder().encode(message).subarray(0, ERROR_BYTES));
  Atomics.store(control, CONTROL.failed, 1);
  Atomics.notify(control, CONTROL.workerDone);
}
