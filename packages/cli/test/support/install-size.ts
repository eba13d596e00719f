import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes in a megabyte, as the README and the budgets count them (10^6, like `npm pack`). */
export const MB = 1_000_000;

/** Apparent size in bytes of every file under `dir` (links not followed), like `du -s --apparent-size`. */
export async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else total += (await lstat(path)).size;
  }
  return total;
}

/** The installed packages of `nodeModules` (top level and scoped), largest first, with their sizes. */
export async function largestPackages(
  nodeModules: string,
  count: number,
): Promise<Array<{ name: string; bytes: number }>> {
  const packages: Array<{ name: string; bytes: number }> = [];
  for (const entry of await readdir(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? (await readdir(join(nodeModules, entry.name))).map((scoped) => `${entry.name}/${scoped}`)
      : [entry.name];
    for (const name of names) packages.push({ name, bytes: await directorySize(join(nodeModules, name)) });
  }
  return packages.sort((a, b) => b.bytes - a.bytes).slice(0, count);
}

/**
 * Fails, naming the largest packages, when the install in `project` has grown past `budgetMb`: a
 * new dependency or a heavier version shows up in the message as what grew.
 */
export async function expectInstallWithin(project: string, budgetMb: number, what: string): Promise<number> {
  const nodeModules = join(project, 'node_modules');
  const bytes = await directorySize(nodeModules);
  if (bytes > budgetMb * MB) {
    const largest = (await largestPackages(nodeModules, 10))
      .map((p) => `  ${p.name}: ${(p.bytes / MB).toFixed(1)} MB`)
      .join('\n');
    throw new Error(
      `${what} is ${(bytes / MB).toFixed(1)} MB of node_modules, over its budget of ${budgetMb} MB. ` +
        `Something grew: a new dependency, or a heavier version of one. The largest packages now:\n${largest}\n` +
        'Slim it down, or raise the budget in packages/cli/test/packaging.test.ts and the sizes in README.md together.',
    );
  }
  return bytes;
}
