/**
 * Imports `@stoqey/ib` without letting it load the user's `.env`.
 *
 * `@stoqey/ib` 1.6 reads its configuration lazily, on the first connection: `load()` in
 * `dist/common/configuration.js` calls `require("dotenv").config()` once, which copies a `.env`
 * from the current folder into `process.env` in the middle of a run (a `KTRDR_DATA_DIR` changes
 * under the running program, secrets appear in it). dotenv reads no environment variable that
 * could point it elsewhere (`DOTENV_CONFIG_PATH` is only honoured by `dotenv/config`), so instead
 * this module loads that configuration itself, once, while the `dotenv` that module would require
 * is, for that one synchronous call, a no-op in Node's module cache.
 *
 * Why it holds:
 * - The configuration module caches its result and sets its "dotenv done" flag for the life of the
 *   process, and `IBApi` reaches the same module instance through `require` (one cache, keyed by
 *   the real path), so dotenv is never called later either.
 * - The swap is synchronous, so no other code can see the no-op, and the entry is restored after:
 *   a user who calls `dotenv.config()` themselves still gets the real one.
 * - It runs in whichever thread imports `@stoqey/ib`: each thread has its own module cache.
 * - Should a later `@stoqey/ib` move or drop that module, nothing here breaks, and the test
 *   `no-dotenv.integration.test.ts` (a real connection from a folder with a `.env`) fails loudly.
 */
import { existsSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as StoqeyIbModule from '@stoqey/ib';

type StoqeyIb = typeof StoqeyIbModule;

let loaded: Promise<StoqeyIb> | undefined;

/** `@stoqey/ib`, imported once, with its configuration read and its `.env` loading disabled. */
export function loadStoqeyIb(): Promise<StoqeyIb> {
  loaded ??= (async () => {
    loadConfigurationWithoutDotenv();
    return import('@stoqey/ib');
  })();
  return loaded;
}

function loadConfigurationWithoutDotenv(): void {
  const require = createRequire(import.meta.url);
  const configurationPath = join(dirname(require.resolve('@stoqey/ib')), 'common', 'configuration.js');
  if (!existsSync(configurationPath)) return;
  let dotenvPath: string;
  try {
    dotenvPath = createRequire(configurationPath).resolve('dotenv');
  } catch {
    return; // this @stoqey/ib has no dotenv to call
  }
  const cache = require.cache;
  const saved = cache[dotenvPath];
  const noop = new Module(dotenvPath);
  noop.filename = dotenvPath;
  noop.loaded = true;
  noop.exports = { config: () => ({ parsed: {} }) };
  cache[dotenvPath] = noop;
  try {
    const configuration = require(configurationPath) as { get?: () => unknown };
    configuration.get?.();
  } finally {
    if (saved === undefined) delete cache[dotenvPath];
    else cache[dotenvPath] = saved;
  }
}
