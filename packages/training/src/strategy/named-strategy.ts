import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '@ktrdr/core';
import { parseStrategy } from './parse-strategy';
import type { StrategyConfig } from './types';

/** The file a strategy name stands for: `{name}.yaml` (a `.yaml` or `.yml` on the name is dropped). */
export function strategyFileName(name: string): string {
  return `${name.replace(/\.ya?ml$/, '')}.yaml`;
}

/**
 * Loads the strategy named `name` from the folder `dir`. `name` must already match
 * `STRATEGY_NAME_PATTERN` (a single safe path segment). Problems name the file, never the folder,
 * so they can be answered over HTTP as they are.
 * @throws NotFoundError naming the strategy when there is no such file; ValidationError when it is invalid.
 */
export async function loadNamedStrategy(dir: string, name: string): Promise<StrategyConfig> {
  const file = strategyFileName(name);
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
    throw new NotFoundError(`No strategy '${name}' in the strategies folder`, {
      details: { strategy: name },
    });
  }
  return parseStrategy(text, file);
}
