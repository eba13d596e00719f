// Shared by scripts/ensure-redis.mjs and scripts/ensure-chromium.mjs: a real component the tests
// need is installed with apt-get (as root or through passwordless sudo) when it is missing, so
// `npm test` works on a fresh clone; `forbidVariable=0` forbids that. Anything else prints how to
// install it and exits 1, so the suites that need it never run without it and never skip.
import { spawnSync } from 'node:child_process';

/**
 * Exits 0 once `found()` holds, installing Debian's `pkg` first when allowed; exits 1 with what to
 * do otherwise. `tag` prefixes every line; `purpose` says which tests need it; `manual` says how to
 * install it by hand.
 */
export function ensureDebianPackage({ tag, pkg, found, forbidVariable, purpose, manual }) {
  if (found()) process.exit(0);
  const allowed = process.env[forbidVariable] !== '0';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!allowed || !hasApt || (!isRoot && !sudo)) {
    console.error(
      [
        `${tag}: ${pkg} is not installed, and ${purpose}.`,
        !allowed ? `  ${forbidVariable}=0 forbids installing it here;` : '',
        !hasApt ? '  apt-get is not available here: install it with your package manager,' : '',
        !isRoot && !sudo ? '  it needs root or passwordless sudo,' : '',
        `  or install it yourself: ${manual}.`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
    process.exit(1);
  }
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const apt = (args) => {
    const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
    console.error(`${tag}: ${[cmd, ...rest].join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    return spawnSync(cmd, rest, { stdio: 'inherit', env }).status === 0;
  };
  console.error(`${tag}: ${pkg} is missing; installing it with apt-get (${purpose}).`);
  if (!apt(['update']) || !apt(['install', '-y', '--no-install-recommends', pkg]) || !found()) {
    console.error(`${tag}: installing ${pkg} failed; ${purpose}, so they cannot run.`);
    process.exit(1);
  }
  console.error(`${tag}: installed ${pkg}.`);
  process.exit(0);
}
