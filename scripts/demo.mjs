#!/usr/bin/env node
/**
 * `npm run demo`: the README's first command. On a fresh clone it installs the dependencies from the
 * lockfile, then runs `ktrdr demo` from the sources (through tsx, so no build is needed). Arguments
 * are passed on: `npm run demo -- --symbols AAPL,MSFT,SPY --epochs 20`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
// 20.19 is where require() of ES modules (arquero, ky) became available without a flag.
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`ktrdr needs Node.js 20.19 or later; this is ${process.version}.`);
  process.exit(1);
}

// What the demo imports first: if any is missing, the install is missing or incomplete.
const needed = ['tsx', 'citty', 'zod', '@stoqey/ib'];
if (!needed.every((name) => existsSync(join(root, 'node_modules', name, 'package.json')))) {
  console.error('Installing dependencies (npm ci)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('npm ci failed: see above. Fix it and run npm run demo again.');
    process.exit(install.status ?? 1);
  }
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', join('packages', 'cli', 'src', 'bin', 'ktrdr.ts'), 'demo', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
// Ctrl+C reaches the demo too (same process group): it cancels its work and exits 130; wait for that.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
