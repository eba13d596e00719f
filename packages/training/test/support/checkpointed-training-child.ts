/**
 * A training host process in miniature, for the kill -9 test: trains `checkpointedJob(dir)` in a
 * worker thread of this process and prints `done` when it finishes (it should be killed first).
 * Run as `node --import tsx checkpointed-training-child.ts DIR`.
 */
import { TrainingWorkerPool } from '../../src/worker/training-worker-pool';
import { checkpointedJob } from './checkpointed-job';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: checkpointed-training-child.ts DIR');
const pool = new TrainingWorkerPool({ concurrency: 1 });
await pool.run(checkpointedJob(dir, false));
process.stdout.write('done\n');
await pool.close();
