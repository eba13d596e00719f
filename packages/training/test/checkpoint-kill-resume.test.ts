import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../src/trainer/checkpoint-store';
import { TrainingWorkerPool } from '../src/worker/training-worker-pool';
import { checkpointedJob } from './support/checkpointed-job';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const childScript = fileURLToPath(new URL('./support/checkpointed-training-child.ts', import.meta.url));

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Polls the checkpoint folder until a checkpoint of at least `epoch` is there. */
async function waitForCheckpoint(dir: string, epoch: number, child: ChildProcess): Promise<number> {
  const store = new FileCheckpointStore(dir);
  for (;;) {
    if (child.exitCode !== null) throw new Error('the child finished before it could be killed');
    const checkpoint = await store.load().catch(() => null);
    if (checkpoint !== null && checkpoint.epoch >= epoch) return checkpoint.epoch;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a training killed with SIGKILL resumes in another process', () => {
  it(
    'resumes from the last checkpoint and ends bit-identical to an uninterrupted run',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ktrdr-kill-'));
      dirs.push(dir);
      const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
      await waitForCheckpoint(dir, 2, child);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(output).not.toContain('done');
      const left = (await new FileCheckpointStore(dir).load())!;
      expect(left.epoch).toBeGreaterThanOrEqual(2);
      expect(left.epoch).toBeLessThan(120);

      const pool = new TrainingWorkerPool({ concurrency: 2 });
      try {
        const otherDir = await mkdtemp(path.join(tmpdir(), 'ktrdr-whole-'));
        dirs.push(otherDir);
        const [resumed, whole] = await Promise.all([
          pool.run(checkpointedJob(dir, true)),
          pool.run(checkpointedJob(otherDir, false)),
        ]);
        expect(resumed.resumedFromEpoch).toBe(left.epoch);
        expect(whole.resumedFromEpoch).toBeUndefined();
        expect(resumed.result.epochsRun).toBe(120);
        resumed.result.weights.layers.forEach((layer, i) => {
          expect(layer.kernel).toEqual(whole.result.weights.layers[i]!.kernel);
          expect(layer.bias).toEqual(whole.result.weights.layers[i]!.bias);
        });
        expect(resumed.result.history.map((h) => h.loss)).toEqual(whole.result.history.map((h) => h.loss));
      } finally {
        await pool.close();
      }
    },
  );
});
