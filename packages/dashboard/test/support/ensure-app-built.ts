import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const WEB_DIR = join(PACKAGE_DIR, 'web');
const CONFIG_FILE = join(PACKAGE_DIR, 'vite.config.ts');
/** The built app, as `dashboardAssetsDir()` finds it from the sources. */
export const APP_DIR = join(PACKAGE_DIR, 'dist', 'app');
const STAMP = '.source-hash';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A hash of everything the build reads from this package: its web/ sources and the Vite config. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [CONFIG_FILE, ...(await filesUnder(WEB_DIR))]) {
    hash
      .update(relative(PACKAGE_DIR, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

const LOCK_DIR = join(PACKAGE_DIR, 'dist', '.app-build-lock');
const STALE_LOCK_MS = 120_000;

/** Holds dist/.app-build-lock (mkdir is atomic) while `work` runs; waits for another holder. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(join(PACKAGE_DIR, 'dist'), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder that died (killed test run) leaves its lock: take it over after a while.
      const since = Date.now() - (await stat(LOCK_DIR).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (since > STALE_LOCK_MS) await rm(LOCK_DIR, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}

const isCurrent = async (hash: string) => {
  const stamp = join(APP_DIR, STAMP);
  return existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash;
};

/**
 * Builds the dashboard into dist/app unless the build there was made from the current sources: a
 * fresh clone (CI runs no build before the tests) or an edited page gets a build, an unchanged tree
 * costs one hash. Test files running side by side take turns (a lock folder), so the second finds
 * the first's build current; the build goes to a side folder first and is renamed into place.
 */
export async function ensureAppBuilt(): Promise<string> {
  const hash = await sourceHash();
  if (await isCurrent(hash)) return APP_DIR;
  return withBuildLock(async () => {
    if (await isCurrent(hash)) return APP_DIR;
    const { build } = await import('vite');
    const side = join(PACKAGE_DIR, 'dist', `app-${process.pid}-${Date.now()}`);
    try {
      await build({ configFile: CONFIG_FILE, build: { outDir: side, emptyOutDir: true }, logLevel: 'error' });
      await writeFile(join(side, STAMP), hash);
    } catch (error) {
      await rm(side, { recursive: true, force: true });
      throw error;
    }
    await rm(APP_DIR, { recursive: true, force: true });
    await rename(side, APP_DIR);
    return APP_DIR;
  });
}
