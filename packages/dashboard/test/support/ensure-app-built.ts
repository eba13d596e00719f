import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
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

/**
 * Builds the dashboard into dist/app unless the build there was made from the current sources: a
 * fresh clone (CI runs no build before the tests) or an edited page gets a build, an unchanged tree
 * costs one hash. The build goes to a side folder first and is renamed into place, so a test file
 * running beside this one never serves half a build.
 */
export async function ensureAppBuilt(): Promise<string> {
  const hash = await sourceHash();
  const stamp = join(APP_DIR, STAMP);
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash) return APP_DIR;
  const { build } = await import('vite');
  const side = join(PACKAGE_DIR, 'dist', `app-${process.pid}-${Date.now()}`);
  await mkdir(side, { recursive: true });
  await build({ configFile: CONFIG_FILE, build: { outDir: side, emptyOutDir: true }, logLevel: 'error' });
  await writeFile(join(side, STAMP), hash);
  await rm(APP_DIR, { recursive: true, force: true });
  await rename(side, APP_DIR).catch(async (error: NodeJS.ErrnoException) => {
    // Another test file built the same sources at the same moment: keep its build.
    await rm(side, { recursive: true, force: true });
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
  });
  return APP_DIR;
}
