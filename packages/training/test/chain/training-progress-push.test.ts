import { CancelledError, type OperationProgress, createInProcessTransport } from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingAdapter } from '../../src/adapter/training-adapter';
import { createTrainingHostService } from '../../src/host-service/create-training-host-service';
import type { StartTrainingInput } from '../../src/contract/training-host-contract';
import { TrainingManager } from '../../src/manager/training-manager';
import { TrainingSessions } from '../../src/session/training-sessions';
import { TrainingWorkerPool } from '../../src/worker/training-worker-pool';
import { regimeBars } from './support/fixture-bars';
import { Cleanup, rejectionOf } from './support/harness';
import { smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const EPOCHS = 4;

/** A real in-process trainer whose transport records every call's path. */
async function inProcessHost() {
  const bars = regimeBars({ bars: 600, seed: 3 });
  const modelsDir = await cleanup.tempDir();
  const sessions = new TrainingSessions({
    pool: new TrainingWorkerPool({ concurrency: 1 }),
    modelsDir,
    loadBars: async () => ({ columns: bars, simulated: true }),
  });
  cleanup.add(sessions, (s) => s.close());
  const inner = createInProcessTransport(createTrainingHostService(sessions));
  const paths: string[] = [];
  const adapter = cleanup.add(
    new TrainingAdapter({
      kind: 'transport',
      transport: {
        ...inner,
        call(request, options) {
          paths.push(request.path);
          return inner.call(request, options);
        },
      },
    }),
    (a) => a.close(),
  );
  // A poll interval that would show up at once: one status call per millisecond.
  return { paths, manager: new TrainingManager({ adapter, pollIntervalMs: { initial: 1, max: 1 } }) };
}

function input(epochs: number): StartTrainingInput {
  return {
    model_configuration: { strategy_yaml: smallStrategyYaml(), strategy_name: 'chain_test' },
    training_configuration: { epochs, seed: 7 },
    data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
  };
}

// Issue #13 item 5: in-process, training progress is pushed through the transport's `onProgress`.
describe('TrainingManager in-process: progress is pushed, not polled', () => {
  it('observes every epoch in order, with no status call at all', async () => {
    const { manager, paths } = await inProcessHost();
    const seen: OperationProgress[] = [];
    const done = await manager.runTraining(input(EPOCHS), { onProgress: (p) => seen.push(p) });

    expect(done.status, done.error ?? '').not.toBe('failed');
    const epochs = seen.map((p) => p.steps_completed ?? 0);
    // Never backwards. Followers hear of progress at most every 100 ms (a small model trains an
    // epoch in a millisecond or two), so fast epochs may share an event; the history has them all.
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
    const epochEvents = seen
      .map((p) => (p.context?.['metrics'] as { epoch?: number } | null)?.epoch)
      .filter((epoch, i, all) => epoch !== undefined && epoch !== all[i - 1]);
    const history = done.metrics['history'] as { epoch: number }[];
    expect(history.map((h) => h.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    expect(epochEvents.length).toBeGreaterThan(0);
    expect(epochEvents.every((epoch) => history.some((h) => h.epoch === epoch))).toBe(true);
    expect(seen.at(-1)?.percentage).toBe(100);
    // One start, one follow: nothing timer-driven.
    expect(paths).toEqual(['/training/start', `/training/follow/${done.session_id}`]);
  });

  it('stops the session when the caller aborts, still without polling', async () => {
    const { manager, paths } = await inProcessHost();
    const controller = new AbortController();
    const run = manager.runTraining(input(100_000), {
      signal: controller.signal,
      onProgress: (p) => {
        if ((p.steps_completed ?? 0) >= 1) controller.abort();
      },
    });
    expect(await rejectionOf(run)).toBeInstanceOf(CancelledError);
    expect(paths.filter((path) => path.startsWith('/training/status'))).toEqual([]);
    expect(paths.filter((path) => path === '/training/stop')).toHaveLength(1);
  });
});
