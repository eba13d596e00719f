import {
  CancelledError,
  ConflictError,
  DataUnavailableError,
  KtrdrError,
  NotFoundError,
  type Transport,
  ValidationError,
  createInProcessTransport,
  implementService,
} from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingAdapter } from '../../src/adapter/training-adapter';
import { createTrainingHostService } from '../../src/host-service/create-training-host-service';
import {
  type StartTrainingInput,
  type TrainingSessionInfo,
  trainingHostContract,
} from '../../src/contract/training-host-contract';
import { TrainingManager, operationProgressOf } from '../../src/manager/training-manager';
import { TrainingSessions } from '../../src/session/training-sessions';
import { TrainingWorkerPool } from '../../src/worker/training-worker-pool';
import { regimeBars } from './support/fixture-bars';
import { Cleanup, pollUntil, rejectionOf } from './support/harness';
import { smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const INPUT: StartTrainingInput = {
  model_configuration: { strategy_yaml: smallStrategyYaml(), strategy_name: 'chain_test' },
  training_configuration: { epochs: 100_000 },
  data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
};

function session(overrides: Partial<TrainingSessionInfo> = {}): TrainingSessionInfo {
  return {
    session_id: 's1',
    status: 'running',
    strategy: 'chain_test',
    symbol: 'AAPL',
    timeframe: '1h',
    created_at: '2024-01-01T00:00:00.000Z',
    started_at: '2024-01-01T00:00:01.000Z',
    completed_at: null,
    progress: {
      epoch: 3,
      total_epochs: 10,
      batch: 5,
      total_batches: 20,
      progress_percent: 27,
      message: 'Epoch 3/10, batch 5/20',
    },
    metrics: { history: [{ epoch: 1 }, { epoch: 2 }] },
    gpu_usage: { backend: 'cpu-fused', gpu: false },
    error: null,
    error_code: null,
    model: null,
    simulated: true,
    ...overrides,
  };
}

/**
 * A scripted training host reached as over HTTP, where the manager polls: `status` answers from
 * `script` (by call count, last one repeating); `stop` is counted and flips the answers to `stopped`.
 */
function scriptedHost(script: Partial<TrainingSessionInfo>[]) {
  const calls = { start: [] as string[], stop: 0, status: 0 };
  let stopped = false;
  const service = implementService(trainingHostContract, {
    health: () => ({
      healthy: true,
      service: 'scripted',
      timestamp: new Date().toISOString(),
      backend: 'cpu-fused',
      active_sessions: 0,
      max_concurrent_sessions: 1,
    }),
    start: (input) => {
      calls.start.push(input.session_id ?? '');
      const id = input.session_id ?? 's1';
      return { success: true as const, session_id: id, status: 'started' as const, message: `Started ${id}` };
    },
    stop: ({ session_id }) => {
      calls.stop++;
      stopped = true;
      return { success: true as const, session_id, status: 'stopped' as const };
    },
    status: ({ session_id }) => {
      const step = script[Math.min(calls.status++, script.length - 1)] ?? {};
      return session({ session_id, ...step, ...(stopped ? { status: 'stopped' as const } : {}) });
    },
    follow: () => {
      throw new Error('A polled host is never followed');
    },
    sessions: () => ({ sessions: [] }),
  });
  // Labelled http: in-process, the manager follows pushed progress instead (training-progress-push.test.ts).
  const transport: Transport = { ...createInProcessTransport(service), kind: 'http' };
  const adapter = cleanup.add(new TrainingAdapter({ kind: 'transport', transport }), (a) => a.close());
  const manager = new TrainingManager({ adapter, pollIntervalMs: { initial: 1, max: 4 } });
  return { manager, calls };
}

describe('operationProgressOf', () => {
  it('maps a session onto operation progress: percent, epochs, batches and the last epoch metrics', () => {
    expect(operationProgressOf(session())).toEqual({
      percentage: 27,
      current_step: 'Epoch 3/10, batch 5/20',
      steps_completed: 3,
      steps_total: 10,
      items_processed: 5,
      items_total: 20,
      current_item: 'epoch 3/10',
      context: { session_id: 's1', backend: 'cpu-fused', metrics: { epoch: 2 } },
    });
    expect(operationProgressOf(session({ metrics: {}, gpu_usage: null })).context).toEqual({
      session_id: 's1',
      backend: null,
      metrics: null,
    });
  });
});

describe('TrainingManager.runTraining over HTTP (polled)', () => {
  it('follows a session to completion, reporting progress from every poll', async () => {
    const { manager, calls } = scriptedHost([
      { status: 'pending', progress: { ...session().progress, epoch: 0, progress_percent: 0 } },
      {},
      { status: 'completed', progress: { ...session().progress, epoch: 10, progress_percent: 100 } },
    ]);
    const seen: number[] = [];
    const done = await manager.runTraining(INPUT, { onProgress: (p) => seen.push(p.percentage) });
    expect(done.status).toBe('completed');
    expect(seen).toEqual([0, 27, 100]);
    expect(calls.stop).toBe(0);
    // The manager names the session, so it can always stop what it started.
    expect(calls.start[0]).toMatch(/^train_[0-9a-f]{8}$/);
  });

  it('turns a failed session into the error its code stands for', async () => {
    const cases: [string | null, new (...args: never[]) => KtrdrError][] = [
      ['data_unavailable', DataUnavailableError],
      ['validation', ValidationError],
      ['not_found', NotFoundError],
      ['no_such_code', KtrdrError],
    ];
    for (const [code, type] of cases) {
      const { manager, calls } = scriptedHost([{ status: 'failed', error: 'it broke', error_code: code }]);
      const error = await rejectionOf(manager.runTraining(INPUT));
      expect(error, String(code)).toBeInstanceOf(type);
      expect(error.message).toBe('it broke');
      expect((error as KtrdrError).details['sessionId']).toBe(calls.start[0]);
    }
  });

  it('stops the session once when the caller aborts, then reports the cancellation', async () => {
    const { manager, calls } = scriptedHost([{}]);
    const controller = new AbortController();
    const run = manager.runTraining(INPUT, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(await rejectionOf(run)).toBeInstanceOf(CancelledError);
    expect(calls.stop).toBe(1);
  });
});

describe('TrainingManager against a real host', () => {
  function realHost(wrap: (inner: Transport) => Transport) {
    const bars = regimeBars({ bars: 600, seed: 2 });
    const pool = new TrainingWorkerPool({ concurrency: 1 });
    const sessions = new TrainingSessions({
      pool,
      modelsDir: '/nonexistent-never-written',
      loadBars: async () => ({ columns: bars, simulated: true }),
    });
    cleanup.add(sessions, (s) => s.close());
    const inner = createInProcessTransport(createTrainingHostService(sessions));
    const adapter = cleanup.add(new TrainingAdapter({ kind: 'transport', transport: wrap(inner) }), (a) =>
      a.close(),
    );
    return { sessions, manager: new TrainingManager({ adapter, pollIntervalMs: { initial: 5, max: 20 } }) };
  }

  it('stops a session whose start answer was lost, so nothing trains unwatched', async () => {
    // The host starts the session, but the caller never hears back (cancelled or timed out on the way).
    const { sessions, manager } = realHost((inner) => ({
      ...inner,
      async call(request, options) {
        const answer = await inner.call(request, options);
        if (request.path === '/training/start') throw new CancelledError('The answer was lost');
        return answer;
      },
    }));
    expect(await rejectionOf(manager.runTraining(INPUT))).toBeInstanceOf(CancelledError);
    const [orphan] = sessions.list();
    expect(orphan).toBeDefined();
    const final = await pollUntil(
      () => sessions.status(orphan!.session_id),
      (info) => info.completed_at !== null,
    );
    expect(final.status).toBe('stopped');
  });

  it('leaves an existing session alone when its id is refused as a duplicate', async () => {
    const { sessions, manager } = realHost((inner) => inner);
    sessions.start({ ...INPUT, session_id: 'taken', training_configuration: { epochs: 100_000 } });
    const error = await rejectionOf(manager.runTraining({ ...INPUT, session_id: 'taken' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(['pending', 'running']).toContain(sessions.status('taken').status);
  });
});
