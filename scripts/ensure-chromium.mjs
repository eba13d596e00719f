#!/usr/bin/env node
// Makes sure a Chromium is there before the tests: the dashboard's browser tests drive it with
// playwright-core (`KTRDR_CHROMIUM`, else Debian's /usr/bin/chromium). Missing, Debian's `chromium`
// is installed with apt-get as root or through passwordless sudo, as scripts/ensure-redis.mjs does
// for Redis, so `npm test` works on a fresh clone; KTRDR_INSTALL_CHROMIUM=0 forbids that. Anything
// else prints how to install it and exits 1, so the browser tests never run without a browser and
// never skip.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

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

const allowed = process.env.KTRDR_INSTALL_CHROMIUM !== '0';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;

if (!allowed || !hasApt || (!isRoot && !sudo)) {
  console.error(
    [
      'ensure-chromium: Chromium is not installed, and the dashboard browser tests need it.',
      !allowed ? '  KTRDR_INSTALL_CHROMIUM=0 forbids installing it here;' : '',
      !hasApt ? '  apt-get is not available here: install Chromium with your package manager,' : '',
      !isRoot && !sudo ? '  it needs root or passwordless sudo,' : '',
      '  or install it yourself (sudo apt-get install -y chromium) or set KTRDR_CHROMIUM to a Chromium binary.',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  process.exit(1);
}

const prefix = isRoot ? [] : ['sudo', '-n'];
const apt = (args) => {
  const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
  console.error(`ensure-chromium: ${[cmd, ...rest].join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return spawnSync(cmd, rest, { stdio: 'inherit', env }).status === 0;
};
console.error(
  'ensure-chromium: chromium is missing; installing it with apt-get (the dashboard tests need it).',
);
if (
  !apt(['update']) ||
  !apt(['install', '-y', '--no-install-recommends', 'chromium']) ||
  !runs(DEFAULT_PATH)
) {
  console.error('ensure-chromium: installing chromium failed; the dashboard browser tests cannot run.');
  process.exit(1);
}
console.error('ensure-chromium: installed chromium.');
