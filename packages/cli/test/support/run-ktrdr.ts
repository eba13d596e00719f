import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliWriter, runCli } from '../../src/index';

/** A stream that keeps what is written, and tells listeners. */
export class Collector implements CliWriter {
  text = '';
  private readonly listeners = new Set<(text: string) => void>();

  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}

  write(chunk: string): boolean {
    this.text += chunk;
    for (const listener of this.listeners) listener(this.text);
    return true;
  }

  /** Resolves once the collected text matches `pattern`. */
  waitFor(pattern: RegExp): Promise<void> {
    if (pattern.test(this.text)) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = (text: string) => {
        if (!pattern.test(text)) return;
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }
}

/** What a CLI run printed and how it exited. */
export interface KtrdrRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runKtrdr}. */
export interface RunKtrdrOptions {
  /** Environment of the run; nothing is inherited, so a developer's KTRDR_API_URL cannot leak in. */
  env?: Record<string, string | undefined>;
  interrupt?: AbortSignal;
  stdout?: Collector;
  stderr?: Collector;
}

/** Runs `ktrdr` in-process with captured output (citty's runCommand under `runCli`; nothing spawns). */
export async function runKtrdr(args: string[], options: RunKtrdrOptions = {}): Promise<KtrdrRun> {
  const stdout = options.stdout ?? new Collector();
  const stderr = options.stderr ?? new Collector();
  const code = await runCli(args, {
    stdout,
    stderr,
    env: options.env ?? {},
    interrupt: options.interrupt ?? new AbortController().signal,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary folder and its removal. */
export async function tempDir(prefix = 'ktrdr-cli-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** `YYYY-MM-DD`, `days` before now (the simulator's market clock is the system clock). */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
