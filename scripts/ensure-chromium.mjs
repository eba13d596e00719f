#!/usr/bin/env node
// Makes sure a Chromium is there before the tests: the dashboard's browser tests drive it with
// playwright-core (`KTRDR_CHROMIUM`, else Debian's /usr/bin/chromium). Missing, Debian's `chromium`
// is installed (see ensure-debian-package.mjs; KTRDR_INSTALL_CHROMIUM=0 forbids it).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureDebianPackage } from './ensure-debian-package.mjs';

const DEFAULT_PATH = '/usr/bin/chromium';
const wanted = process.env.KTRDR_CHROMIUM || DEFAULT_PATH;
const runs = (path) => existsSync(path) && spawnSync(path, ['--version'], { stdio: 'ignore' }).status === 0;

if (runs(wanted)) process.exit(0);
if (process.env.KTRDR_CHROMIUM && process.env.KTRDR_CHROMIUM !== DEFAULT_PATH) {
  // A browser the user named is not ours to install.
  console.error(
    `ensure-chromium: KTRDR_CHROMIUM=${wanted} does not run; point it at a Chromium, or unset it.`,
  );
  process.exit(1);
}

ensureDebianPackage({
  tag: 'ensure-chromium',
  pkg: 'chromium',
  found: () => runs(wanted),
  forbidVariable: 'KTRDR_INSTALL_CHROMIUM',
  purpose: 'the dashboard browser tests need it',
  manual: 'sudo apt-get install -y chromium, or set KTRDR_CHROMIUM to a Chromium binary',
});
