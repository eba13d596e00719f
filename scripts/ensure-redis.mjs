#!/usr/bin/env node
// Makes sure `redis-server` is on PATH before the tests, which start a real Redis per suite
// (@ktrdr/queue's tests). Missing, it is installed with apt-get as root or through passwordless
// sudo, so `npm test` works on a fresh clone as the README says; KTRDR_INSTALL_REDIS=0 forbids
// that. Anything else prints how to install it and exits 1, so the tests never run without Redis
// and never skip.
import { spawnSync } from 'node:child_process';

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts });
const found = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

if (found()) process.exit(0);

const allowed = process.env.KTRDR_INSTALL_REDIS !== '0';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;

if (!allowed || !hasApt || (!isRoot && !sudo)) {
  console.error(
    [
      'ensure-redis: redis-server is not installed, and the queue tests need a real Redis.',
      !allowed ? '  KTRDR_INSTALL_REDIS=0 forbids installing it here;' : '',
      !hasApt ? '  apt-get is not available here: install Redis 7 with your package manager,' : '',
      !isRoot && !sudo ? '  it needs root or passwordless sudo,' : '',
      '  or install it yourself: sudo apt-get install -y redis-server (macOS: brew install redis).',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  process.exit(1);
}

const prefix = isRoot ? [] : ['sudo', '-n'];
const apt = (args) => {
  const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
  console.error(`ensure-redis: ${[cmd, ...rest].join(' ')}`);
  return run(cmd, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
};
console.error('ensure-redis: redis-server is missing; installing it with apt-get (the queue tests need it).');
if (!apt(['update']) || !apt(['install', '-y', '--no-install-recommends', 'redis-server']) || !found()) {
  console.error('ensure-redis: installing redis-server failed; the queue tests cannot run.');
  process.exit(1);
}
// Debian starts a system Redis on :6379 after install; the tests start their own on a unix
// socket, so that one is left as the package set it up.
console.error('ensure-redis: installed redis-server.');
