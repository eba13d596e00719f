#!/usr/bin/env node
/**
 * Copies what each workspace package publishes (its package.json and the entries of its `files`
 * field: `dist`, the training package's `strategies`) from `packages/` to `<out>/packages/`, so
 * the image's last stage holds the same files as the npm tarballs and no sources or tests.
 *
 *   node docker/copy-package-files.mjs /out
 *
 * A package whose `files` entry is missing (an unbuilt `dist`) fails the build, naming it.
 */
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const out = process.argv[2];
if (out === undefined) {
  process.stderr.write('usage: node docker/copy-package-files.mjs <out-dir>\n');
  process.exit(2);
}
for (const name of readdirSync('packages')) {
  const dir = path.join('packages', name);
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const { files = [] } = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const entry of ['package.json', ...files]) {
    const from = path.join(dir, entry);
    if (!existsSync(from)) {
      process.stderr.write(`${from} is missing: run 'npm run build' first.\n`);
      process.exit(1);
    }
    cpSync(from, path.join(out, dir, entry), { recursive: true });
  }
}
