import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  CancelledError,
  ConflictError,
  NotFoundError,
  ValidationError,
  isKtrdrError,
  serveService,
} from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OhlcvColumns } from '../../src/indicators/ohlcv';
import { TrainingAdapter } from '../../src/adapter/training-adapter';
import { createTrainingHostService } from '../../src/host-service/create-training-host-service';
import type { StartTrainingInput, TrainingSessionInfo } from '../../src/contract/training-host-contract';
import { type LoadBars, TrainingSessions } from '../../src/session/training-sessions';
import { MODEL_FILES } from '../../src/storage/model-store';
import { TrainingWorkerPool } from '../../src/worker/training-worker-pool';
import { regimeBars } from './support/fixture-bars';
import { Cleanup, errorOf, pollUntil } from './support/harness';
import { badDropoutStrategy, brokenYamlStrategy, smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Fixture bars by symbol; anything else is unknown, as a store without that series would say. */
const BARS: Record<string, OhlcvColumns> = { AAPL: regimeBars({ bars: 1500, seed: 3 }) };

interface Rig {
  adapter: TrainingAdapter;
  sessions: TrainingSessions;
  pool: TrainingWorkerPool;
  modelsDir: string;
  /** Base URL of the host service when the transport is HTTP. */
  url?: string;
  /** Signals the sessions' `loadBars` received. */
  loadSignals: AbortSignal[];
}

interface TransportCase {
  name: 'in-process' | 'http';
  adapterFor(sessions: TrainingSessions): Promise<{ adapter: TrainingAdapter; url?: string }>;
}

const TRANSPORTS: TransportCase[] = [
  {
    name: 'in-process',
    adapterFor: async (sessions) => ({
      adapter: new TrainingAdapter({ kind: 'in-process', service: createTrainingHostService(sessions) }),
    }),
  },
  {
    name: 'http',
    adapterFor: async (sessions) => {
      const server = cleanup.add(await serveService(createTrainingHostService(sessions)), (s) => s.close());
      return { adapter: new TrainingAdapter({ kind: 'http', url: server.url }), url: server.url };
    },
  },
];

function startInput(overrides: {
  id?: string;
  yaml?: string;
  symbols?: string[];
  epochs?: number;
  seed?: number;
}): StartTrainingInput {
  return {
    ...(overrides.id === undefined ? {} : { session_id: overrides.id }),
    model_configuration: {
      strategy_yaml: overrides.yaml ?? smallStrategyYaml(),
      strategy_name: 'chain_test',
    },
    training_configuration: { epochs: overrides.epochs ?? 3, seed: overrides.seed ?? 7 },
    data_configuration: { symbols: overrides.symbols ?? ['AAPL'], timeframes: ['1h'] },
  };
}

const TERMINAL = ['completed', 'failed', 'stopped'];
const isTerminal = (info: TrainingSessionInfo) => TERMINAL.includes(info.status);

async function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

describe.each(TRANSPORTS)('TrainingAdapter contract over $name', (transport) => {
  async function rig(): Promise<Rig> {
    const modelsDir = await cleanup.tempDir();
    const loadSignals: AbortSignal[] = [];
    const loadBars: LoadBars = async ({ symbol, signal }) => {
      loadSignals.push(signal);
      // SLOW: a load that only ends when the session is stopped (a slow store or a remote fetch).
      if (symbol === 'SLOW') await new Promise((resolve) => signal.addEventListener('abort', resolve));
      const columns = BARS[symbol === 'SLOW' ? 'AAPL' : symbol];
      if (columns === undefined) throw new NotFoundError(`No 1h data stored for ${symbol}`);
      return { columns, simulated: true };
    };
    const pool = new TrainingWorkerPool({ concurrency: 2, progressIntervalMs: 0 });
    const sessions = cleanup.add(new TrainingSessions({ pool, loadBars, modelsDir }), (s) => s.close());
    const { adapter, url } = await transport.adapterFor(sessions);
    cleanup.add(adapter, (a) => a.close());
    return { adapter, sessions, pool, modelsDir, loadSignals, ...(url === undefined ? {} : { url }) };
  }

  it('answers health with the transport mode, the backend and the concurrency limit', async () => {
    const { adapter } = await rig();
    const health = await adapter.healthCheck();
    expect(health).toMatchObject({
      healthy: true,
      service: 'Training host service',
      mode: transport.name,
      active_sessions: 0,
      max_concurrent_sessions: 2,
    });
    expect(Date.parse(String(health['timestamp']))).not.toBeNaN();
  });

  it('runs a session to completion: progress per epoch, metrics history and a saved model', async () => {
    const { adapter, modelsDir } = await rig();
    const epochs = 8;
    const id = await adapter.startTraining(
      startInput({ id: 'run-1', yaml: smallStrategyYaml({ batchSize: 4 }), epochs }),
    );
    expect(id).toBe('run-1');
    const seen: TrainingSessionInfo[] = [];
    const final = await pollUntil(
      async () => {
        const info = await adapter.getStatus(id);
        seen.push(info);
        return info;
      },
      isTerminal,
      { intervalMs: 5 },
    );
    expect(final.error).toBeNull();
    expect(final.status).toBe('completed');

    // Status moves forward only: pending, then running, then completed; epochs never go back.
    const order = ['pending', 'running', 'completed'];
    const ranks = seen.map((info) => order.indexOf(info.status));
    expect(ranks.every((rank, i) => rank >= 0 && (i === 0 || rank >= ranks[i - 1]!))).toBe(true);
    const epochsSeen = seen.map((info) => info.progress.epoch);
    expect(epochsSeen).toEqual([...epochsSeen].sort((a, b) => a - b));
    // Progress was visible while it trained, not only at the end.
    const midway = seen.filter(
      (info) => info.status === 'running' && info.progress.epoch >= 1 && info.progress.epoch < epochs,
    );
    expect(midway.length).toBeGreaterThan(0);
    for (const info of midway) {
      expect(info.progress.total_epochs).toBe(epochs);
      expect(info.progress.progress_percent).toBeGreaterThan(0);
      expect(info.progress.progress_percent).toBeLessThan(100);
      // The history holds every finished epoch (the one in progress may not be in it yet).
      const history = (info.metrics['history'] as unknown[] | undefined) ?? [];
      expect(history.length).toBeGreaterThanOrEqual(info.progress.epoch - 1);
    }

    expect(final.progress).toMatchObject({ epoch: epochs, total_epochs: epochs, progress_percent: 100 });
    const history = final.metrics['history'] as { epoch: number; train_loss: number; val_accuracy: number }[];
    expect(history.map((h) => h.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    for (const h of history) {
      expect(Number.isFinite(h.train_loss)).toBe(true);
      expect(h.val_accuracy).toBeGreaterThanOrEqual(0);
      expect(h.val_accuracy).toBeLessThanOrEqual(1);
    }
    expect(final.metrics).toMatchObject({ epochs_run: epochs, stopped_early: false });
    expect((final.metrics['test'] as { accuracy: number }).accuracy).toBeGreaterThan(0);

    expect(final).toMatchObject({ strategy: 'chain_test', symbol: 'AAPL', timeframe: '1h', simulated: true });
    expect(final.gpu_usage?.backend).toEqual(expect.any(String));
    expect(final.started_at! >= final.created_at).toBe(true);
    expect(final.completed_at! >= final.started_at!).toBe(true);

    const directory = path.join(modelsDir, 'chain_test', 'AAPL_1h_v1');
    expect(final.model).toEqual({
      name: 'chain_test/AAPL_1h_v1',
      version: 1,
      path: directory,
      onnx_path: path.join(directory, 'model.onnx'),
    });
    expect((await readdir(directory)).sort()).toEqual(Object.values(MODEL_FILES).sort());

    const health = await adapter.healthCheck();
    expect(health).toMatchObject({ active_sessions: 0, backend: final.gpu_usage?.backend });
  });

  it('stops a running session at its next batch: status stopped, nothing saved, the slot freed', async () => {
    const { adapter, pool, modelsDir } = await rig();
    // Batches of one row: an epoch lasts far longer than a status call and a stop call take.
    const id = await adapter.startTraining(
      startInput({ id: 'long-1', yaml: smallStrategyYaml({ batchSize: 1 }), epochs: 100_000 }),
    );
    const running = await pollUntil(
      () => adapter.getStatus(id),
      (info) => info.status === 'running' && info.progress.epoch >= 1,
    );
    expect(pool.running).toBe(1);
    await adapter.stopTraining(id);
    const final = await pollUntil(() => adapter.getStatus(id), isTerminal);
    expect(final).toMatchObject({ status: 'stopped', error_code: 'cancelled', model: null });
    expect(final.completed_at).not.toBeNull();
    // Stopped where it was (within an epoch or two of the status read, whatever the machine's
    // load), not after its 100,000 epochs.
    expect(final.progress.epoch).toBeLessThanOrEqual(running.progress.epoch + 2);
    expect(final.progress.epoch).toBeLessThan(100_000);
    expect(pool.running).toBe(0);
    expect(await fileExists(path.join(modelsDir, 'chain_test'))).toBe(false);
    // Stopping a stopped session is harmless and says so.
    await adapter.stopTraining(id);
    expect((await adapter.getStatus(id)).status).toBe('stopped');
    expect((await adapter.healthCheck())['active_sessions']).toBe(0);
  });

  it('stops a session while its bars load: the load sees the abort, training never starts', async () => {
    const { adapter, pool, loadSignals } = await rig();
    const id = await adapter.startTraining(
      startInput({ id: 'early-stop', symbols: ['SLOW'], epochs: 100_000 }),
    );
    const loading = await adapter.getStatus(id);
    expect(loading).toMatchObject({ status: 'pending', started_at: null });
    expect(loading.progress.message).toMatch(/loading/i);
    await adapter.stopTraining(id);
    const final = await pollUntil(() => adapter.getStatus(id), isTerminal);
    expect(final).toMatchObject({ status: 'stopped', started_at: null, model: null });
    expect(loadSignals.at(-1)?.aborted).toBe(true);
    expect(pool.running + pool.queued).toBe(0);
  });

  it('lists every session, newest first, as status reports them', async () => {
    const { adapter } = await rig();
    await adapter.startTraining(startInput({ id: 'list-a', epochs: 100_000 }));
    await adapter.startTraining(startInput({ id: 'list-b', epochs: 100_000 }));
    const listed = await adapter.listSessions();
    expect(listed.map((s) => s.session_id)).toEqual(['list-b', 'list-a']);
    const a = await adapter.getStatus('list-a');
    expect(listed[1]).toMatchObject({
      session_id: 'list-a',
      strategy: a.strategy,
      symbol: 'AAPL',
      timeframe: '1h',
      created_at: a.created_at,
    });
    for (const id of ['list-a', 'list-b']) await adapter.stopTraining(id);
    for (const id of ['list-a', 'list-b']) await pollUntil(() => adapter.getStatus(id), isTerminal);
    expect((await adapter.listSessions()).map((s) => [s.session_id, s.status])).toEqual([
      ['list-b', 'stopped'],
      ['list-a', 'stopped'],
    ]);
  });

  it('answers an unknown session with NotFoundError (404 over HTTP)', async () => {
    const { adapter, url } = await rig();
    for (const call of [() => adapter.getStatus('nope'), () => adapter.stopTraining('nope')]) {
      const error = await errorOf(call);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toContain('nope');
    }
    if (url !== undefined) {
      const response = await fetch(`${url}/training/status/nope`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('rejects a bad strategy with a ValidationError naming the field and the line', async () => {
    const { adapter, url } = await rig();
    const dropout = badDropoutStrategy();
    const invalid = await errorOf(() => adapter.startTraining(startInput({ yaml: dropout.yaml })));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(isKtrdrError(invalid) && invalid.details['field']).toBe('model.architecture.dropout');
    expect(invalid.message).toContain(`chain_test.yaml:${dropout.line}:`);
    expect(invalid.message).toContain('model.architecture.dropout');

    const broken = brokenYamlStrategy();
    const unparsable = await errorOf(() => adapter.startTraining(startInput({ yaml: broken.yaml })));
    expect(unparsable).toBeInstanceOf(ValidationError);
    expect(unparsable.message).toContain(`chain_test.yaml:${broken.line}:`);

    expect(await adapter.listSessions()).toEqual([]);
    if (url !== undefined) {
      const response = await fetch(`${url}/training/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(startInput({ yaml: dropout.yaml })),
      });
      expect(response.status).toBe(400);
    }
  });

  it('refuses what the trainer could not run before a session exists, naming the field', async () => {
    const { adapter } = await rig();
    const plateau = smallStrategyYaml().replace(
      '    optimizer: adam\n',
      '    optimizer: adam\n    lr_scheduler: { type: reduce_on_plateau }\n',
    );
    const plateauLine = plateau.split('\n').indexOf('    lr_scheduler: { type: reduce_on_plateau }') + 1;
    const cases: [StartTrainingInput, string][] = [
      [startInput({ yaml: plateau }), 'model.training.lr_scheduler.type'],
      [startInput({ symbols: ['AAPL', 'AAPL'] }), 'data_configuration.symbols'],
      [startInput({ seed: -1 }), 'seed'],
      [{ ...startInput({}), gpu_configuration: { backend: 'quantum' } }, 'gpu_configuration.backend'],
    ];
    for (const [input, field] of cases) {
      const error = await errorOf(() => adapter.startTraining(input));
      expect(error, field).toBeInstanceOf(ValidationError);
      expect(isKtrdrError(error) && error.details['field'], field).toBe(field);
    }
    const located = await errorOf(() => adapter.startTraining(startInput({ yaml: plateau })));
    expect(located.message).toContain(`chain_test.yaml:${plateauLine}:`);
    expect(await adapter.listSessions()).toEqual([]);
  });

  it('refuses a duplicate session id with ConflictError and leaves the first session alone', async () => {
    const { adapter, url } = await rig();
    await adapter.startTraining(startInput({ id: 'dup', epochs: 100_000 }));
    const error = await errorOf(() => adapter.startTraining(startInput({ id: 'dup', epochs: 1 })));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('dup');
    if (url !== undefined) {
      const response = await fetch(`${url}/training/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(startInput({ id: 'dup' })),
      });
      expect(response.status).toBe(409);
    }
    const first = await adapter.getStatus('dup');
    expect(first.progress.total_epochs).toBe(100_000);
    expect(['pending', 'running']).toContain(first.status);
    await adapter.stopTraining('dup');
    expect((await pollUntil(() => adapter.getStatus('dup'), isTerminal)).status).toBe('stopped');
  });

  it('reports a session whose bars cannot be loaded as failed, with the reason and its code', async () => {
    const { adapter } = await rig();
    const id = await adapter.startTraining(startInput({ symbols: ['NOPE'] }));
    const final = await pollUntil(() => adapter.getStatus(id), isTerminal);
    expect(final).toMatchObject({ status: 'failed', error_code: 'not_found', model: null });
    expect(final.error).toContain('NOPE');
  });

  it('cancels a call whose signal aborts before it is sent', async () => {
    const { adapter } = await rig();
    const controller = new AbortController();
    controller.abort();
    const error = await errorOf(() =>
      adapter.startTraining(startInput({ id: 'never' }), { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect(await errorOf(() => adapter.getStatus('never'))).toBeInstanceOf(NotFoundError);
  });
});
