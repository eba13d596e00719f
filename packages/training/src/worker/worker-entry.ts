import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How to start the training worker. */
export interface WorkerEntry {
  /** The script `new Worker` runs. */
  file: string;
  /** The TypeScript entry, for the tsx bootstrap. */
  tsxEntry?: string;
}

const BOOTSTRAP = 'tsx-worker-bootstrap.mjs';

/**
 * Finds the worker entry next to this module: `training-worker.js`/`.cjs` beside the bundled
 * `index.js`/`index.cjs` (tsup builds it as a separate entry), or `training-worker.ts` beside this
 * file when running from sources under vitest or tsx.
 */
export function resolveTrainingWorkerEntry(): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  const ext = path.extname(here);
  const candidates =
    ext === '.ts'
      ? ['training-worker.ts']
      : [`training-worker${ext}`, 'training-worker.js', 'training-worker.cjs'];
  for (const name of candidates) {
    const file = path.join(dir, name);
    if (existsSync(file)) return workerEntryFor(file);
  }
  throw new Error(
    `Training worker entry not found next to ${here} (looked for ${candidates.join(', ')}); rebuild @ktrdr/training`,
  );
}

/**
 * The {@link WorkerEntry} of a given script. A TypeScript file is started through a small
 * bootstrap that registers tsx inside the worker first (development and tests only).
 */
export function workerEntryFor(file: string): WorkerEntry {
  if (!/\.[cm]?ts$/.test(file)) return { file };
  const bootstrap = path.join(path.dirname(fileURLToPath(import.meta.url)), BOOTSTRAP);
  return { file: bootstrap, tsxEntry: pathToFileURL(file).href };
}
