import * as fsp from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TEMP_PREFIX } from './atomic-write';
import type { SeriesPaths } from './series-paths';

/**
 * A cache temp file this old belongs to a dead process: a cache is a few MB written in well under a
 * second, and a live writer's temp file has its mtime refreshed by every write.
 */
export const CACHE_TEMP_MAX_AGE_MS = 10 * 60_000;

/**
 * Removes the temp files that dead writers of this series left behind (a `kill -9` or a power cut
 * between creating a temp file and renaming it). Caller holds the series lock:
 * - CSV temps (`.tmp-{SYMBOL}_{tf}.csv.*`) are only created under that lock, so none belongs to a
 *   live writer, on this machine or another; a writer that lost the lock as stale finds its temp gone
 *   and fails, which it would anyway (it never renames without the lock);
 * - cache temps (`.tmp-.{SYMBOL}_{tf}.cols.*`) are also written by readers, without the lock, so only
 *   those untouched for {@link CACHE_TEMP_MAX_AGE_MS} go.
 *
 * Best effort: a temp file that cannot be removed costs disk space, never data.
 * @returns the names removed.
 */
export async function removeOrphanTemps(paths: SeriesPaths, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(paths.dir);
  } catch {
    return [];
  }
  const csvTemp = `${TEMP_PREFIX}${basename(paths.csv)}.`;
  const cacheTemp = `${TEMP_PREFIX}${basename(paths.cache)}.`;
  const removed: string[] = [];
  for (const name of names) {
    const path = join(paths.dir, name);
    try {
      if (name.startsWith(csvTemp)) {
        await fsp.unlink(path);
      } else if (name.startsWith(cacheTemp)) {
        if (now - (await fsp.stat(path)).mtimeMs < CACHE_TEMP_MAX_AGE_MS) continue;
        await fsp.unlink(path);
      } else {
        continue;
      }
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}
