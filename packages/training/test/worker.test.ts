import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledError, InternalError, ValidationError } from '@ktrdr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MlpConfig } from '../src/model/mlp-config';
import type { TrainingProgress } from '../src/trainer/training-types';
import { TrainingWorkerPool } from '../src/worker/training-worker-pool';
import type { TrainingJob } from '../src/worker/worker-protocol';
import { syntheticSplit } from './support/synthetic-dataset';

const config: MlpConfig = {
  hiddenLayers: [8],
  activation: 'relu',
  dropout: 0,
  learningRate: 0.01,
  batchSize: 32,
  epochs: 2,
  optimizer: 'adam',
  seed: 1,
};

function job(overrides: Partial<TrainingJob> = {}): TrainingJob {
  return {
    data: { train: syntheticSplit(200, 5, 1), validation: syntheticSplit(60, 5, 2) },
    config,
    ...overrides,
  };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ktrdr-worker-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('TrainingWorkerPool', () => {
  it(
    'trains in worker threads, at most `concurrency` at once, reporting progress per epoch',
    { timeout: 60_000 },
    async () => {
      const pool = new TrainingWorkerPool({ concurrency: 2, progressIntervalMs: 0 });
      let maxRunning = 0;
      const events = new Map<string, TrainingProgress[]>();
      const tasks = ['a', 'b', 'c'].map((id) =>
        pool.submit(job(), {
          id,
          onProgress: (p) => {
            maxRunning = Math.max(maxRunning, pool.running);
            events.set(id, [...(events.get(id) ?? []), p]);
          },
        }),
      );
      expect(tasks.map((t) => t.status)).toEqual(['running', 'running', 'queued']);
      expect(pool.queued).toBe(1);
      const outcomes = await Promise.all(tasks.map((t) => t.result));
      expect(tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
      expect(maxRunning).toBe(2);
      for (const [id, list] of events) {
        expect(
          list.filter((e) => e.type === 'epoch').map((e) => e.epoch),
          id,
        ).toEqual([1, 2]);
        expect(list.some((e) => e.type === 'batch')).toBe(true);
        expect(list[0]!.backend).toBe('cpu-fused');
      }
      expect(outcomes[0]!.result.history).toHaveLength(2);
      // Same seed, same data: identical results whichever worker ran them.
      expect(outcomes[1]!.result.weights.layers[0]!.kernel).toEqual(
        outcomes[0]!.result.weights.layers[0]!.kernel,
      );
      expect(tasks[2]!.progress?.type).toBe('epoch');
      await pool.close();
    },
  );

  it('saves the model from the worker when asked', { timeout: 30_000 }, async () => {
    const pool = new TrainingWorkerPool({ concurrency: 1 });
    const outcome = await pool.run(
      job({ save: { modelsDir: root, strategy: 'w', symbol: 'SPY', timeframe: '1d', simulated: true } }),
    );
    expect(outcome.saved?.version).toBe(1);
    expect(outcome.saved?.metadata.simulated).toBe(true);
    expect(await readdir(path.join(root, 'w', 'SPY_1d_v1'))).toContain('model.onnx');
    await pool.close();
  });

  it(
    'cancels a running session at the next batch: CancelledError, status cancelled, nothing saved',
    { timeout: 30_000 },
    async () => {
      const pool = new TrainingWorkerPool({ concurrency: 1, progressIntervalMs: 0 });
      const controller = new AbortController();
      const modelsDir = path.join(root, 'cancelled');
      let lastEpoch = 0;
      const task = pool.submit(
        job({
          config: { ...config, epochs: 100_000 },
          save: { modelsDir, strategy: 'c', symbol: 'SPY', timeframe: '1d' },
        }),
        {
          signal: controller.signal,
          onProgress: (p) => {
            lastEpoch = Math.max(lastEpoch, p.epoch);
            if (p.type === 'epoch' && p.epoch === 2) controller.abort();
          },
        },
      );
      const error = await task.result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CancelledError);
      expect(task.status).toBe('cancelled');
      expect(task.error).toBe(error);
      // The worker stopped long before its 10,000 epochs. How many progress messages were already in
      // flight when the cancel landed depends on load; "the next batch" itself is pinned down on one
      // thread in trainer.test.ts.
      expect(lastEpoch).toBeLessThan(1_000);
      await expect(readdir(modelsDir)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(pool.running).toBe(0);
      await pool.close();
    },
  );

  it('cancels a queued session without starting it', { timeout: 30_000 }, async () => {
    const pool = new TrainingWorkerPool({ concurrency: 1 });
    const first = pool.submit(job());
    const second = pool.submit(job());
    second.cancel('no longer needed');
    await expect(second.result).rejects.toThrow(/cancelled before it started: no longer needed/);
    expect(second.status).toBe('cancelled');
    await first.result;
    expect(first.status).toBe('completed');
    await pool.close();
  });

  it(
    'reports why a session failed: the error class, message and field survive the thread boundary',
    { timeout: 30_000 },
    async () => {
      const pool = new TrainingWorkerPool({ concurrency: 1 });
      const task = pool.submit(job({ config: { ...config, hiddenLayers: [8, -1] } }));
      const error = await task.result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual({ field: 'hiddenLayers[1]' });
      expect((error as Error).message).toContain('hiddenLayers[1]');
      expect(task.status).toBe('failed');
      await pool.close();
    },
  );

  it('reports a crashed worker as a failed session with the reason', { timeout: 30_000 }, async () => {
    const workerFile = fileURLToPath(new URL('./fixtures/crashing-worker.ts', import.meta.url));
    const pool = new TrainingWorkerPool({ concurrency: 1, workerFile });
    const task = pool.submit(job());
    const error = await task.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toContain('simulated worker crash');
    expect(task.status).toBe('failed');
    await pool.close();
  });
});
