import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type WorkerEntry, workerEntryFor } from '../threads/worker-script';

export type { WorkerEntry };

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
