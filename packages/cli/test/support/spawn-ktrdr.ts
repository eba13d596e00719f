import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The repository root: tsx resolves `@ktrdr/*` to sources through its tsconfig paths from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A spawned `ktrdr` process from the sources, with its output collected. */
export interface SpawnedKtrdr {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr matches `pattern`. */
  waitForStderr(pattern: RegExp): Promise<void>;
  /** Resolves with the exit code (or 128 + signal number when killed by a signal). */
  exited: Promise<number>;
}

/** Runs `node --import tsx [...nodeArgs] packages/cli/src/bin/ktrdr.ts ...args` as a real process. */
export function spawnKtrdr(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): SpawnedKtrdr {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...nodeArgs, 'packages/cli/src/bin/ktrdr.ts', ...args],
    {
      cwd: REPO_ROOT,
      // PATH and HOME only: the developer's KTRDR_* and IB_* settings must not leak in.
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  const waiters = new Set<{ pattern: RegExp; resolve: () => void }>();
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const waiter of waiters) {
      if (waiter.pattern.test(err)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 128)));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (pattern) =>
      pattern.test(err) ? Promise.resolve() : new Promise((resolve) => waiters.add({ pattern, resolve })),
    exited,
  };
}

/** What a traced run loaded: every module it resolved, one URL or path a line. */
export interface TracedKtrdr extends SpawnedKtrdr {
  /** The modules the process resolved; read it once the process has exited. */
  loaded(): Promise<string>;
}

/** {@link spawnKtrdr} with `support/trace-imports.mjs` recording every module it resolves in `traceFile`. */
export function spawnTracedKtrdr(
  args: string[],
  traceFile: string,
  env: Record<string, string> = {},
): TracedKtrdr {
  const tracer = fileURLToPath(new URL('./trace-imports.mjs', import.meta.url));
  const run = spawnKtrdr(args, { ...env, KTRDR_TRACE_IMPORTS: traceFile }, ['--import', tracer]);
  return { ...run, loaded: () => readFile(traceFile, 'utf8') };
}
