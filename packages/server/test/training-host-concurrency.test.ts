import { afterEach, describe, expect, it } from 'vitest';
import { Resources, eventually } from './support/harness';
import { spawnSource } from './support/spawn-bin';

const resources = new Resources();
afterEach(() => resources.closeAll());

const BIN = 'packages/server/src/bin/ktrdr-training-host.ts';

async function hostWith(args: string[], env: Record<string, string>) {
  const dirs = { KTRDR_DATA_DIR: await resources.tempDir(), KTRDR_MODELS_DIR: await resources.tempDir() };
  return spawnSource(resources, BIN, ['--port', '0', ...args], { ...dirs, ...env });
}

async function maxSessions(args: string[], env: Record<string, string> = {}): Promise<number> {
  const host = await hostWith(args, env);
  const url = await eventually(
    () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(host.output())?.[1],
    20_000,
  );
  const health = (await (await fetch(`${url}/health`)).json()) as { max_concurrent_sessions: number };
  host.kill('SIGTERM');
  await host.exited;
  return health.max_concurrent_sessions;
}

describe('ktrdr-training-host concurrency', () => {
  it(
    'takes --concurrency, else KTRDR_TRAINING_CONCURRENCY, and reports it in /health',
    { timeout: 60_000 },
    async () => {
      const [flag, flagOverEnv, env] = await Promise.all([
        maxSessions(['--concurrency', '3']),
        maxSessions(['--concurrency=1'], { KTRDR_TRAINING_CONCURRENCY: '2' }),
        maxSessions([], { KTRDR_TRAINING_CONCURRENCY: '2' }),
      ]);
      expect(flag).toBe(3);
      expect(flagOverEnv).toBe(1);
      expect(env).toBe(2);
    },
  );

  it('lists --concurrency in --help', { timeout: 60_000 }, async () => {
    const help = spawnSource(resources, BIN, ['--help'], {});
    expect((await help.exited).code).toBe(0);
    expect(help.stdoutText()).toContain('--port=<PORT>');
    expect(help.stdoutText()).toContain('--concurrency=<N>');
  });

  it(
    'refuses a value that is not a positive integer before it listens: a usage error for the flag (exit 2), a configuration error for the variable (exit 1)',
    { timeout: 60_000 },
    async () => {
      const [zero, word] = await Promise.all([
        hostWith(['--concurrency', '0'], {}),
        hostWith([], { KTRDR_TRAINING_CONCURRENCY: 'many' }),
      ]);
      expect((await zero.exited).code).toBe(2);
      expect(zero.output()).toContain("--concurrency must be a positive integer, got '0'");
      expect((await word.exited).code).toBe(1);
      expect(word.output()).toContain("KTRDR_TRAINING_CONCURRENCY must be a positive integer, got 'many'");
      expect(zero.output() + word.output()).not.toContain('listening on');
    },
  );
});
