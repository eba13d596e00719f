import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A leaf folder: the session pool (worker/) and the two-thread engine (trainer/) both start worker
// threads this way, and neither may import the other's folder.

/** How to start a worker thread. */
export interface WorkerEntry {
  /** The script `new Worker` runs. */
  file: string;
  /** The TypeScript entry, for the tsx bootstrap. */
  tsxEntry?: string;
}

const BOOTSTRAP = 'tsx-worker-bootstrap.mjs';

/**
 * The {@link WorkerEntry} of a given script. A TypeScript file is started through a small
 * bootstrap that registers tsx inside the worker first (development and tests only).
 */
export function workerEntryFor(file: string): WorkerEntry {
  if (!/\.[cm]?ts$/.test(file)) return { file };
  const bootstrap = path.join(path.dirname(fileURLToPath(import.meta.url)), BOOTSTRAP);
  return { file: bootstrap, tsxEntry: pathToFileURL(file).href };
}
