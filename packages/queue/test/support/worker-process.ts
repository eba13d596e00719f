/**
 * A worker process for the stall test: `node --import tsx worker-process.ts <redis url>`. Its jobs
 * report 10% and then wait until aborted, so the test can `kill -9` it mid-job. Prints `ready`.
 */
import { startQueueWorker } from '@ktrdr/queue';

const url = process.argv[2] ?? '';
await startQueueWorker({
  url,
  queues: ['training'],
  lockDurationMs: 1000,
  runner: (_queue, _request, { signal, reportProgress }) => {
    reportProgress({ percentage: 10, current_step: 'in the crashing worker' });
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  },
});
process.stdout.write('ready\n');
