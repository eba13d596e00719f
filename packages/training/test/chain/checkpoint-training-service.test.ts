import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingService } from '../../src/service/training-service';
import { checkpointDir } from '../../src/session/training-sessions';
import { FileCheckpointStore } from '../../src/trainer/checkpoint-store';
import { regimeBars, storeSimulatedBars } from './support/fixture-bars';
import { Cleanup } from './support/harness';
import { smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterAll(() => cleanup.run());

describe('TrainingService checkpoints', () => {
  it('takes checkpoints by id and resumes from the last one', { timeout: 120_000 }, async () => {
    const dataDir = await cleanup.tempDir();
    const modelsDir = await cleanup.tempDir();
    await storeSimulatedBars(dataDir, 'AAPL', '1h', regimeBars({ bars: 800, seed: 4 }));
    const data = cleanup.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
      d.close(),
    );
    const training = cleanup.add(new TrainingService({ data, maxConcurrentSessions: 1 }), (t) => t.close());
    const request = {
      strategyYaml: smallStrategyYaml(),
      symbol: 'AAPL',
      timeframe: '1h',
      epochs: 5,
      seed: 2,
    };
    const first = await (
      await training.startTraining({ ...request, checkpoint: { id: 'svc', every: 2 } })
    ).result();
    // Every 2 epochs of 5: the last checkpoint is after epoch 4 (none after the final epoch).
    expect((await new FileCheckpointStore(checkpointDir(modelsDir, 'svc')).load())?.epoch).toBe(4);
    const resumed = await (
      await training.startTraining({ ...request, checkpoint: { id: 'svc', resume: true } })
    ).result();
    expect(resumed.session.metrics.resumed_from_epoch).toBe(4);
    const losses = (o: typeof first) => (o.session.metrics.history as { loss: number }[]).map((h) => h.loss);
    expect(losses(resumed)).toEqual(losses(first));
    expect(first.session.metrics.resumed_from_epoch).toBeUndefined();
  });
});
