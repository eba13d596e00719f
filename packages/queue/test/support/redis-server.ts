import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `redis-server` for one test suite, on a unix socket in its own temp folder. */
export interface TestRedis {
  /** `unix://...` URL for `KTRDR_REDIS_URL` / `--redis`. */
  readonly url: string;
  readonly socket: string;
  /** Kills the server (SIGKILL when `hard`), keeping the folder: `start()` brings it back on the same socket. */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again after `stop()` (empty: `--save ''`). */
  start(): Promise<void>;
  /** Stops it and removes the folder. */
  close(): Promise<void>;
}

const MISSING =
  'redis-server is not on PATH. The queue tests need a real Redis: run `node scripts/ensure-redis.mjs` ' +
  '(with KTRDR_INSTALL_REDIS=1 it installs it with apt-get) or `sudo apt-get install -y redis-server`.';

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = createConnection(socket);
    conn.once('error', () => resolve(false));
    conn.once('data', (data) => {
      conn.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    conn.once('connect', () => conn.write('PING\r\n'));
  });
}

/**
 * Starts `redis-server --port 0 --save '' --unixsocket <tmp>/redis.sock` and resolves once it answers
 * PING. Fails (never skips) with how to install Redis when `redis-server` is missing.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'ktrdr-redis-'));
  const socket = join(dir, 'redis.sock');
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    log = '';
    const proc = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--save',
        '',
        '--appendonly',
        'no',
        '--unixsocket',
        socket,
        '--unixsocketperm',
        '700',
        '--dir',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(error.code === 'ENOENT' ? MISSING : `redis-server failed: ${error.message}`)),
      );
      proc.once('exit', (code) =>
        reject(new Error(`redis-server exited (${code}) before answering:\n${log}`)),
      );
    });
    failed.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await Promise.race([ping(socket), failed]);
      if (up) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not answer within 10 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const stop = async (hard = false) => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };

  await start();
  return {
    url: `unix://${socket}`,
    socket,
    stop,
    start,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
