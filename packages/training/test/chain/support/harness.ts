import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Closes what a test opened, last opened first; call {@link Cleanup.run} in `afterEach`. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  /** Registers `close` and returns `resource`, so `const x = cleanup.add(open(), (x) => x.close())`. */
  add<T>(resource: T, close: (resource: T) => unknown): T {
    this.steps.push(() => close(resource));
    return resource;
  }

  /** A fresh temp folder, removed at cleanup. */
  async tempDir(prefix = 'ktrdr-chain-'): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    this.steps.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

/**
 * Calls `probe` every `intervalMs` until `done` accepts its value, and returns that value; fails
 * with the last value seen after `timeoutMs`.
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The rejection of `promise`, failing the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected a rejection, but the promise resolved');
}

/** The error `fn` throws synchronously or asynchronously. */
export async function errorOf(fn: () => unknown): Promise<Error> {
  return rejectionOf(Promise.resolve().then(fn));
}
