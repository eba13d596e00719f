import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInProcessTransport, ValidationError } from '@ktrdr/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TrainingAdapter } from '../../src/adapter/training-adapter';
import { createTrainingHostService } from '../../src/host-service/create-training-host-service';
import type { StartTrainingInput } from '../../src/contract/training-host-contract';
import { ModelStore } from '../../src/storage/model-store';
import { checkpointDir, CHECKPOINTS_FOLDER, TrainingSessions } from '../../src/session/training-sessions';
import { FileCheckpointStore } from '../../src/trainer/checkpoint-store';
import { TrainingWorkerPool } from '../../src/worker/training-worker-pool';
import { regimeBars } from './support/fixture-bars';
import { Cleanup, pollUntil, rejectionOf } from './support/harness';
import { smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const bars = regimeBars({ bars: 600, seed: 2 });
const EPOCHS = 200;

function input(checkpoint?: StartTrainingInput['checkpoint_configuration']): StartTrainingInput {
  return {
    model_configuration: { strategy_yaml: smallStrategyYaml(), strategy_name: 'chain_test' },
    training_configuration: { epochs: EPOCHS, seed: 3 },
    data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
    ...(checkpoint === undefined ? {} : { checkpoint_configuration: checkpoint }),
  };
}

/** A training host of its own (its own worker pool), over one shared models folder. */
function host(modelsDir: string) {
  const sessions = new TrainingSessions({
    pool: new TrainingWorkerPool({ concurrency: 2 }),
    modelsDir,
    loadBars: async () => ({ columns: bars, simulated: true }),
  });
  cleanup.add(sessions, (s) => s.close());
  const adapter = cleanup.add(
    new TrainingAdapter({
      kind: 'transport',
      transport: createInProcessTransport(createTrainingHostService(sessions)),
    }),
    (a) => a.close(),
  );
  return { sessions, adapter };
}

async function finished(sessions: TrainingSessions, id: string) {
  return pollUntil(
    () => sessions.status(id),
    (info) => info.completed_at !== null,
    { timeoutMs: 60_000 },
  );
}

describe('training host sessions with checkpoints', () => {
  it(
    'a second host resumes what a stopped one checkpointed, and ends as an uninterrupted session',
    { timeout: 120_000 },
    async () => {
      const modelsDir = await mkdtemp(path.join(tmpdir(), 'ktrdr-host-ckpt-'));
      dirs.push(modelsDir);
      const first = host(modelsDir);
      const id = await first.adapter.startTraining(input({ checkpoint_id: 'run-1', every_epochs: 2 }));
      const store = new FileCheckpointStore(checkpointDir(modelsDir, 'run-1'));
      const taken = await pollUntil(
        () => store.load().catch(() => null),
        (c) => c !== null && c.epoch >= 4,
        { timeoutMs: 60_000 },
      );
      first.sessions.stop(id);
      expect((await finished(first.sessions, id)).status).toBe('stopped');
      const left = (await store.load())!;
      expect(left.epoch % 2).toBe(0);
      expect(left.epoch).toBeGreaterThanOrEqual(taken!.epoch);
      expect(left.epoch).toBeLessThan(EPOCHS);

      const second = host(modelsDir);
      const [resumedId, wholeId] = await Promise.all([
        second.adapter.startTraining(input({ checkpoint_id: 'run-1', resume: true })),
        second.adapter.startTraining(input()),
      ]);
      const [resumed, whole] = await Promise.all([
        finished(second.sessions, resumedId),
        finished(second.sessions, wholeId),
      ]);
      expect(resumed.status).toBe('completed');
      expect(whole.status).toBe('completed');
      expect(resumed.metrics.resumed_from_epoch).toBe(left.epoch);
      const losses = (info: typeof resumed) =>
        (info.metrics.history as { loss: number }[]).map((h) => h.loss);
      expect(losses(resumed)).toEqual(losses(whole));
      expect(resumed.metrics.test).toEqual(whole.metrics.test);
      // The checkpoints folder is not mistaken for a strategy's models.
      expect(await readdir(modelsDir)).toContain(CHECKPOINTS_FOLDER);
      expect((await new ModelStore({ root: modelsDir }).list()).map((m) => m.key.strategy)).toEqual([
        'chain_test',
        'chain_test',
      ]);
    },
  );

  it('refuses a checkpoint id that could leave the checkpoints folder', async () => {
    const modelsDir = await mkdtemp(path.join(tmpdir(), 'ktrdr-host-ckpt-'));
    dirs.push(modelsDir);
    const { adapter } = host(modelsDir);
    for (const bad of ['../x', '..', 'a/b', '']) {
      expect(await rejectionOf(adapter.startTraining(input({ checkpoint_id: bad })))).toBeInstanceOf(
        ValidationError,
      );
    }
    expect(await readdir(modelsDir)).toEqual([]);
  });
});
