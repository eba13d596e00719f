import { ValidationError } from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { MlpConfig } from '../src/model/mlp-config';
import {
  concurrencyFromEnv,
  TRAINING_CONCURRENCY_ENV,
  TrainingWorkerPool,
} from '../src/worker/training-worker-pool';
import { syntheticSplit } from './support/synthetic-dataset';

const saved = process.env[TRAINING_CONCURRENCY_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[TRAINING_CONCURRENCY_ENV];
  else process.env[TRAINING_CONCURRENCY_ENV] = saved;
});

const config: MlpConfig = {
  hiddenLayers: [8],
  activation: 'relu',
  dropout: 0,
  learningRate: 0.01,
  batchSize: 32,
  epochs: 3,
  optimizer: 'adam',
  seed: 1,
};

describe('training concurrency setting', () => {
  it(
    'KTRDR_TRAINING_CONCURRENCY limits the pool: the (N+1)-th session waits, queued, until a slot frees',
    { timeout: 60_000 },
    async () => {
      process.env[TRAINING_CONCURRENCY_ENV] = '1';
      const pool = new TrainingWorkerPool();
      try {
        expect(pool.concurrency).toBe(1);
        const data = { train: syntheticSplit(200, 5, 1) };
        const first = pool.submit({ data, config });
        const second = pool.submit({ data, config });
        expect(first.status).toBe('running');
        expect(second.status).toBe('queued');
        expect(pool.queued).toBe(1);
        await first.result;
        await second.result;
        expect(second.status).toBe('completed');
      } finally {
        await pool.close();
      }
    },
  );

  it('an explicit concurrency wins over the variable; a bad value is a ValidationError', () => {
    process.env[TRAINING_CONCURRENCY_ENV] = '2';
    expect(new TrainingWorkerPool({ concurrency: 4 }).concurrency).toBe(4);
    expect(concurrencyFromEnv({})).toBeUndefined();
    expect(concurrencyFromEnv({ [TRAINING_CONCURRENCY_ENV]: ' 3 ' })).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'all']) {
      expect(() => concurrencyFromEnv({ [TRAINING_CONCURRENCY_ENV]: bad })).toThrow(ValidationError);
    }
  });
});
