import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Resources } from './harness';

/** The repository root: tsx resolves `@ktrdr/*` to sources through its tsconfig paths from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A child process with its output collected and its exit as a promise. */
export type SpawnedProcess = ChildProcess & {
  /** stdout and stderr, interleaved as they came. */
  output: () => string;
  /** stdout alone (a command's `-f json` answer). */
  stdoutText: () => string;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** The environment of this process without any ktrdr setting: nothing of the machine's leaks in. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(KTRDR_|IB_|USE_|TRAINING_)/.test(key)) env[key] = value;
  }
  return env;
}

/**
 * Runs a TypeScript entry point of this repository as a real process (`node --import tsx`), killed
 * with SIGKILL after the test if still alive.
 */
export function spawnSource(
  resources: Resources,
  entry: string,
  args: string[],
  env: Record<string, string>,
): SpawnedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  resources.add(child, (c) => {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  return Object.assign(child, { output: () => output, stdoutText: () => stdout, exited }) as SpawnedProcess;
}

/** A server bin (`ktrdr-api`, `ktrdr-training-host`, ...) from its source. */
export function spawnServerBin(
  resources: Resources,
  bin: string,
  env: Record<string, string>,
): SpawnedProcess {
  return spawnSource(resources, `packages/server/src/bin/${bin}.ts`, ['--port', '0'], env);
}

/** The `ktrdr` CLI from its source, as a user runs it. */
export function spawnCli(
  resources: Resources,
  args: string[],
  env: Record<string, string> = {},
): SpawnedProcess {
  return spawnSource(resources, 'packages/cli/src/bin/ktrdr.ts', args, env);
}
