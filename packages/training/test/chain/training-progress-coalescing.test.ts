import { afterEach, describe, expect, it } from 'vitest';
import { TrainingSessions } from '../../src/session/training-sessions';
import { TrainingWorkerPool } from '../../src/worker/training-worker-pool';
import { regimeBars } from './support/fixture-bars';
import { Cleanup } from './support/harness';
import { smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('training progress under fast epochs', () => {
  it('reaches followers at most every 100 ms, while the history keeps every epoch', async () => {
    const sessions = new TrainingSessions({
      pool: new TrainingWorkerPool({ concurrency: 1 }),
      modelsDir: await cleanup.tempDir(),
      loadBars: async () => ({ columns: regimeBars({ bars: 300, seed: 5 }), simulated: true }),
    });
    cleanup.add(sessions, (s) => s.close());
    const epochs = 1_500;
    const id = sessions.start({
      model_configuration: { strategy_yaml: smallStrategyYaml(), strategy_name: 'fast_epochs' },
      training_configuration: { epochs, seed: 3, early_stopping: { enabled: false } },
      data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
    } as Parameters<TrainingSessions['start']>[0]);
    const notices: number[] = [];
    const final = await sessions.follow(id, () => notices.push(performance.now()));
    const history = final.metrics['history'] as { epoch: number }[];
    expect(history).toHaveLength(epochs);
    // One notice per epoch (1,500 here) kept a server's event loop busy; now they are spaced.
    // (The first notice is the state when following began; the last, the session's end, goes out
    // at once.)
    const spans = notices.slice(2, -1).map((at, i) => at - (notices[i + 1] as number));
    expect(spans.filter((span) => span < 90)).toEqual([]);
    expect(notices.length).toBeLessThan(epochs / 2);
  }, 60_000);
});
