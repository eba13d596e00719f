// Development only: runs a TypeScript worker entry (sources under vitest or tsx). Node 20 does not
// apply `--import tsx` from a worker's execArgv to the worker's own modules ("Unknown file extension
// .ts"), so tsx's hooks are registered here, inside the worker, before the entry is imported.
// tsx finds tsconfig.json (and its `paths`) the usual way: cwd, or TSX_TSCONFIG_PATH.
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// Demote this thread before tsx starts transpiling: threads and processes it spawns inherit it.
if (workerData.niceness > 0 && process.platform === 'linux') {
  try {
    setPriority(0, workerData.niceness);
  } catch {
    // Not permitted here: run at normal priority.
  }
}
register();
await import(workerData.tsxEntry);
