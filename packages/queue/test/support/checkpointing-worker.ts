/**
 * A worker process for the checkpoint relay test: `node --import tsx checkpointing-worker.ts <redis
 * url> <models dir>`. Its training job writes an epoch-3 checkpoint where a training would (its own
 * models folder) and then waits until aborted, so the test can `kill -9` it. Prints `ready`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHECKPOINT_FILE, checkpointDir } from '@ktrdr/training';
import { startQueueWorker } from '@ktrdr/queue';
import { fakeCheckpoint } from './fake-checkpoint';

const [url = '', modelsDir = ''] = process.argv.slice(2);
await startQueueWorker({
  url,
  queues: ['training'],
  lockDurationMs: 1000,
  checkpoints: { modelsDir, pollMs: 50 },
  runner: async (_queue, _request, { operationId, signal, reportProgress }) => {
    const dir = checkpointDir(modelsDir, operationId);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, CHECKPOINT_FILE), fakeCheckpoint(3));
    reportProgress({ percentage: 30, current_step: 'epoch 3 checkpointed' });
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  },
});
process.stdout.write('ready\n');
