import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CancelledError,
  NotFoundError,
  type OperationProgress,
  ValidationError,
  isKtrdrError,
  loadConfig,
} from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainingSessionInfo } from '../../src/contract/training-host-contract';
import { TrainingService } from '../../src/service/training-service';
import { regimeBars, storeSimulatedBars } from './support/fixture-bars';
import { Cleanup, pollUntil, rejectionOf } from './support/harness';
import { badDropoutStrategy, brokenYamlStrategy, smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Rig {
  training: TrainingService;
  modelsDir: string;
  dir: string;
}

/** A training service on a temp store holding 1500 simulated hourly AAPL bars. */
async function rig(maxConcurrentSessions = 1): Promise<Rig> {
  const dataDir = await cleanup.tempDir();
  const modelsDir = await cleanup.tempDir();
  const dir = await cleanup.tempDir();
  await storeSimulatedBars(dataDir, 'AAPL', '1h', regimeBars({ bars: 1500, seed: 9 }));
  const data = cleanup.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
    d.close(),
  );
  const training = cleanup.add(new TrainingService({ data, maxConcurrentSessions }), (t) => t.close());
  return { training, modelsDir, dir };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Resolves with the first progress update `accept` takes. */
function progressWhere(
  handle: { on(event: 'progress', listener: (p: OperationProgress) => void): unknown },
  accept: (p: OperationProgress) => boolean,
): Promise<OperationProgress> {
  return new Promise((resolve) => handle.on('progress', (p) => accept(p) && resolve(p)));
}

describe('TrainingService: cancel', () => {
  it('cancels mid-training when the caller aborts: operation cancelled, session stopped, no model', async () => {
    const { training, modelsDir } = await rig();
    const controller = new AbortController();
    const handle = await training.startTraining({
      strategyYaml: smallStrategyYaml(),
      epochs: 100_000,
      seed: 1,
      signal: controller.signal,
    });
    const midway = await progressWhere(handle, (p) => (p.steps_completed ?? 0) >= 1);
    expect(midway.steps_total).toBe(100_000);
    controller.abort();
    const error = await rejectionOf(handle.result());
    expect(error).toBeInstanceOf(CancelledError);
    expect(handle.status).toBe('cancelled');
    expect(handle.describe()).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });

    const [session] = await training.adapter.listSessions();
    expect(session).toMatchObject({ status: 'stopped', model: null });
    expect(session!.progress.epoch).toBeLessThan(100_000);
    expect(await training.listModels()).toEqual([]);
    expect(await exists(path.join(modelsDir, 'chain_test'))).toBe(false);
  });

  it('cancels a training that waits for a slot without ever starting it', async () => {
    const { training } = await rig(1);
    const handles = await Promise.all(
      [1, 2].map(() => training.startTraining({ strategyYaml: smallStrategyYaml(), epochs: 100_000 })),
    );
    // Whichever loaded its bars second waits for the only slot.
    const waiting = (p: OperationProgress) => /waiting for a free training slot/i.test(p.current_step ?? '');
    const waiter = await Promise.race(handles.map((h) => progressWhere(h, waiting).then(() => h)));
    const trainer = handles.find((h) => h !== waiter)!;
    waiter.cancel('not needed');
    expect(await rejectionOf(waiter.result())).toBeInstanceOf(CancelledError);
    expect(waiter.status).toBe('cancelled');
    const sessions = await training.adapter.listSessions();
    expect(sessions.map((s) => s.status).sort()).toEqual(['running', 'stopped']);
    expect(sessions.find((s) => s.status === 'stopped')).toMatchObject({ started_at: null, model: null });
    expect(trainer.status).toBe('running');
    trainer.cancel();
    expect(await rejectionOf(trainer.result())).toBeInstanceOf(CancelledError);
  });

  it('closing the service cancels its running trainings rather than failing them', async () => {
    const { training } = await rig();
    const handle = await training.startTraining({ strategyYaml: smallStrategyYaml(), epochs: 100_000 });
    await progressWhere(handle, (p) => (p.steps_completed ?? 0) >= 1);
    await training.close();
    expect(await rejectionOf(handle.result())).toBeInstanceOf(CancelledError);
    expect(handle.status).toBe('cancelled');
  });
});

describe('TrainingService: concurrent sessions', () => {
  it('runs three trainings with two slots: all complete with distinct versions, the third waits', async () => {
    const { training } = await rig(2);
    const handles = await Promise.all(
      [1, 2, 3].map((seed) =>
        training.startTraining({ strategyYaml: smallStrategyYaml({ batchSize: 4 }), epochs: 6, seed }),
      ),
    );
    const snapshots: TrainingSessionInfo[][] = [];
    const done = Promise.all(handles.map((h) => h.result()));
    let finished = false;
    void done.finally(() => (finished = true));
    await pollUntil(
      async () => {
        snapshots.push(await training.adapter.listSessions());
        return finished;
      },
      (value) => value,
      { intervalMs: 20, timeoutMs: 120_000 },
    );
    const outcomes = await done;

    expect(handles.map((h) => h.status)).toEqual(['completed', 'completed', 'completed']);
    const models = outcomes.map((o) => o.model).sort();
    expect(models).toEqual(['chain_test/AAPL_1h_v1', 'chain_test/AAPL_1h_v2', 'chain_test/AAPL_1h_v3']);
    const listed = await training.listModels();
    expect(listed.map((m) => [m.version, m.latest])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    for (const outcome of outcomes) expect(outcome.session.metrics['epochs_run']).toBe(6);

    // Never more than two training at once, and at some point one waited while two trained.
    const running = snapshots.map((list) => list.filter((s) => s.status === 'running').length);
    expect(Math.max(...running)).toBe(2);
    const waiting = snapshots.filter(
      (list) =>
        list.filter((s) => s.status === 'running').length === 2 &&
        list.some(
          (s) => s.status === 'pending' && /waiting for a free training slot/i.test(s.progress.message),
        ),
    );
    expect(waiting.length).toBeGreaterThan(0);
    // The one that waited started after both others had started.
    const waiter = waiting[0]!.find((s) => s.status === 'pending')!.session_id;
    const final = await training.adapter.listSessions();
    const startedAt = (id: string) => final.find((s) => s.session_id === id)!.started_at!;
    for (const other of final.filter((s) => s.session_id !== waiter)) {
      expect(startedAt(waiter) >= startedAt(other.session_id)).toBe(true);
    }
  }, 120_000);
});

describe('TrainingService: bad strategy files fail before any operation exists', () => {
  async function expectNoOperation(training: TrainingService) {
    expect(training.operations.list({ type: 'training' })).toEqual([]);
    expect(await training.adapter.listSessions()).toEqual([]);
  }

  it('a missing file is NotFoundError naming the path', async () => {
    const { training, dir } = await rig();
    const missing = path.join(dir, 'nope.yaml');
    const error = await rejectionOf(training.startTraining({ strategyPath: missing }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain(missing);
    await expectNoOperation(training);
  });

  it('YAML that does not parse is a ValidationError with the file and line', async () => {
    const { training, dir } = await rig();
    const { yaml, line } = brokenYamlStrategy();
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, yaml);
    const error = await rejectionOf(training.startTraining({ strategyPath: file }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`broken.yaml:${line}:`);
    await expectNoOperation(training);
  });

  it('an invalid field is a ValidationError naming the field and its line', async () => {
    const { training, dir } = await rig();
    const { yaml, line } = badDropoutStrategy();
    const file = path.join(dir, 'dropout.yaml');
    await writeFile(file, yaml);
    const error = await rejectionOf(training.startTraining({ strategyPath: file }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(isKtrdrError(error) && error.details).toMatchObject({
      field: 'model.architecture.dropout',
      problems: [expect.objectContaining({ field: 'model.architecture.dropout', line })],
    });
    expect(error.message).toContain(`dropout.yaml:${line}:`);
    await expectNoOperation(training);
  });

  it('a setting the trainer cannot honour is a ValidationError with its field and line', async () => {
    const { training, dir } = await rig();
    const yaml = smallStrategyYaml().replace(
      '    optimizer: adam\n',
      '    optimizer: adam\n    lr_scheduler: { type: reduce_on_plateau }\n',
    );
    const line = yaml.split('\n').indexOf('    lr_scheduler: { type: reduce_on_plateau }') + 1;
    const file = path.join(dir, 'plateau.yaml');
    await writeFile(file, yaml);
    const error = await rejectionOf(training.startTraining({ strategyPath: file }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(isKtrdrError(error) && error.details['field']).toBe('model.training.lr_scheduler.type');
    expect(error.message).toContain(`plateau.yaml:${line}:`);
    await expectNoOperation(training);
  });

  it('bad requests are ValidationErrors naming the field: no symbol, a bad symbol, zero epochs', async () => {
    const { training } = await rig();
    const noData = smallStrategyYaml().replace('data:\n  symbols: [AAPL]\n  timeframes: [1h]\n', '');
    const cases: [Parameters<TrainingService['startTraining']>[0], string][] = [
      [{ strategyYaml: noData }, 'symbol'],
      [{ strategyYaml: smallStrategyYaml(), symbol: '../etc' }, 'symbol'],
      [{ strategyYaml: smallStrategyYaml(), epochs: 0 }, 'epochs'],
      [{}, 'strategy'],
    ];
    for (const [request, field] of cases) {
      const error = await rejectionOf(training.startTraining(request));
      expect(error, JSON.stringify(request)).toBeInstanceOf(ValidationError);
      expect(isKtrdrError(error) && error.details['field'], JSON.stringify(request)).toBe(field);
    }
    await expectNoOperation(training);
  });

  it('a symbol without stored bars fails its operation with NotFoundError', async () => {
    const { training } = await rig();
    const handle = await training.startTraining({ strategyYaml: smallStrategyYaml(), symbol: 'MSFT' });
    const error = await rejectionOf(handle.result());
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('MSFT');
    expect(handle.describe()).toMatchObject({ status: 'failed', error_code: 'not_found' });
  });
});

describe('TrainingService: symbols as the data layer spells them', () => {
  it('trains a lower-case symbol under its canonical name', async () => {
    const { training } = await rig();
    const handle = await training.startTraining({
      strategyYaml: smallStrategyYaml(),
      symbol: 'aapl',
      epochs: 1,
    });
    const outcome = await handle.result();
    expect(outcome.model).toBe('chain_test/AAPL_1h_v1');
    expect(handle.describe().metadata).toMatchObject({ symbol: 'AAPL' });
    const prediction = await training.predict({ model: 'chain_test/AAPL_1h', symbol: 'aapl', bars: 2 });
    expect(prediction.predictions).toHaveLength(2);
  });
});
