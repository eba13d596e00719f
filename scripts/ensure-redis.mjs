#!/usr/bin/env node
// Makes sure `redis-server` is on PATH before the tests, which start a real Redis per suite
// (@ktrdr/queue's tests); see ensure-debian-package.mjs for how it is installed when missing.
// Debian starts a system Redis on :6379 after install; the tests start their own on a unix socket,
// so that one is left as the package set it up.
import { spawnSync } from 'node:child_process';
import { ensureDebianPackage } from './ensure-debian-package.mjs';

ensureDebianPackage({
  tag: 'ensure-redis',
  pkg: 'redis-server',
  found: () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0,
  forbidVariable: 'KTRDR_INSTALL_REDIS',
  purpose: 'the queue tests need a real Redis',
  manual: 'sudo apt-get install -y redis-server (macOS: brew install redis)',
});
