/**
 * Worker-thread entry: receives one {@link TrainingJob}, trains (and saves, if asked), posts
 * progress, and reports the outcome or the serialised error. Built as its own tsup entry
 * (`dist/training-worker.{js,cjs}`) and run from sources under tsx in development.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError, toKtrdrError } from '@ktrdr/core';
import { ModelStore } from '../storage/model-store';
import { FileCheckpointStore } from '../trainer/checkpoint-store';
import { trainMlp } from '../trainer/train-mlp';
import type { TrainingProgress } from '../trainer/training-types';
import type { HostMessage, TrainingJob, TrainingJobOutcome, WorkerMessage } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('training-worker must be started as a worker thread');
lowerPriority(Number((workerData as { niceness?: number } | null)?.niceness ?? 0));

const controller = new AbortController();
const post = (message: WorkerMessage): void => port.postMessage(message);

port.on('message', (message: HostMessage) => {
  if (message.type === 'cancel') controller.abort();
  else if (message.type === 'start')
    void run(message.job, new Int32Array(message.cancelFlag), message.progressIntervalMs);
});

/**
 * Lowers this thread's scheduling priority (first thing, so start-up work is demoted too) so the
 * host's event loop wins the CPU when cores are oversubscribed (many sessions, few cores). Linux
 * only: there `setpriority(PRIO_PROCESS, 0)` applies to the calling thread, whereas on macOS and
 * Windows it would demote the whole process.
 */
function lowerPriority(niceness: number): void {
  if (niceness <= 0 || process.platform !== 'linux') return;
  try {
    setPriority(0, niceness);
  } catch {
    // Not permitted in this sandbox: train at normal priority.
  }
}

async function run(job: TrainingJob, cancelFlag: Int32Array, progressIntervalMs: number): Promise<void> {
  try {
    let lastBatchPost = 0;
    const onProgress = (progress: TrainingProgress): void => {
      // Epoch events always go out; batch events are throttled so a fast loop cannot flood the host's event loop.
      if (progress.type === 'batch') {
        const now = performance.now();
        if (now - lastBatchPost < progressIntervalMs) return;
        lastBatchPost = now;
      }
      post({ type: 'progress', progress });
    };
    const store = job.checkpoint === undefined ? undefined : new FileCheckpointStore(job.checkpoint.dir);
    const resumeFrom = store !== undefined && job.checkpoint?.resume === true ? await store.load() : null;
    const result = await trainMlp(job.data, job.config, {
      ...job.options,
      signal: controller.signal,
      cancelFlag,
      onProgress,
      ...(store === undefined
        ? {}
        : {
            checkpoint: {
              store,
              ...(job.checkpoint?.every === undefined ? {} : { every: job.checkpoint.every }),
            },
          }),
      ...(resumeFrom === null ? {} : { resumeFrom }),
    });
    const outcome: TrainingJobOutcome = {
      result,
      ...(resumeFrom === null ? {} : { resumedFromEpoch: resumeFrom.epoch }),
    };
    // A stop that arrived after the last batch still means "no model": check before saving one.
    if (controller.signal.aborted || Atomics.load(cancelFlag, 0) !== 0) {
      throw new CancelledError('Training was cancelled before its model was saved');
    }
    if (job.save !== undefined) {
      const { modelsDir, ...save } = job.save;
      outcome.saved = await new ModelStore(modelsDir === undefined ? {} : { root: modelsDir }).save({
        ...save,
        result,
      });
    }
    post({ type: 'done', outcome });
  } catch (error) {
    post({ type: 'error', error: toKtrdrError(error, 'Training failed').toJSON() });
  }
}
