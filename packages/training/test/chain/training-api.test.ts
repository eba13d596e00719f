import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  NotFoundError,
  ValidationError,
  createInProcessTransport,
  createServiceClient,
  isKtrdrError,
  loadConfig,
} from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrainingApiService } from '../../src/api/create-training-api-service';
import { trainingApiContract } from '../../src/contract/training-api-contract';
import { TrainingService } from '../../src/service/training-service';
import { regimeBars, storeSimulatedBars } from './support/fixture-bars';
import { Cleanup, rejectionOf } from './support/harness';
import { badDropoutStrategy, smallStrategyYaml } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The training API in-process over a service with stored bars and a strategies folder. */
async function rig() {
  const dataDir = await cleanup.tempDir();
  const modelsDir = await cleanup.tempDir();
  const strategiesDir = await cleanup.tempDir();
  await storeSimulatedBars(dataDir, 'AAPL', '1h', regimeBars({ bars: 800, seed: 4 }));
  await writeFile(path.join(strategiesDir, 'chain-test.yaml'), smallStrategyYaml());
  const data = cleanup.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
    d.close(),
  );
  const training = cleanup.add(new TrainingService({ data, maxConcurrentSessions: 1 }), (t) => t.close());
  const transport = createInProcessTransport(createTrainingApiService(training, { strategiesDir }));
  const api = createServiceClient(trainingApiContract, transport);
  return { training, api };
}

describe('training API service (in-process)', () => {
  it('starts a training as an operation, then lists, shows and predicts with the model', async () => {
    const { training, api } = await rig();
    const started = await api.start({
      strategy_name: 'chain-test',
      symbol: 'AAPL',
      timeframe: '1h',
      epochs: 2,
      seed: 3,
    });
    expect(started).toMatchObject({ success: true, data: { operation_type: 'training' } });
    expect(started.operation_id).toMatch(/^op_training_/);
    expect(started.data.operation_id).toBe(started.operation_id);
    const outcome = (await training.operations.get(started.operation_id).result()) as { model: string };
    expect(outcome.model).toBe('chain_test/AAPL_1h_v1');

    const models = await api.models({});
    expect(models.data).toEqual([
      expect.objectContaining({
        name: 'chain_test/AAPL_1h_v1',
        strategy: 'chain_test',
        symbol: 'AAPL',
        timeframe: '1h',
        version: 1,
        latest: true,
        simulated: true,
      }),
    ]);

    const byVersion = await api.model({ strategy: 'chain_test', model: 'AAPL_1h_v1' });
    const latest = await api.model({ strategy: 'chain_test', model: 'AAPL_1h' });
    expect(latest.data).toEqual(byVersion.data);
    expect(byVersion.data.features).toHaveLength(8);
    expect((byVersion.data.metrics['history'] as unknown[]).length).toBe(2);
    expect(byVersion.data.metadata).toMatchObject({ simulated: true, version: 1 });

    const predicted = await api.predict({ model_name: 'chain_test/AAPL_1h', symbol: 'AAPL', bars: 5 });
    expect(predicted.data).toMatchObject({
      model: 'chain_test/AAPL_1h_v1',
      runtime: 'onnx',
      simulated: true,
    });
    expect(predicted.data.predictions).toHaveLength(5);
    for (const p of predicted.data.predictions) {
      expect(p.probabilities.BUY + p.probabilities.HOLD + p.probabilities.SELL).toBeCloseTo(1, 5);
    }
    const defaults = await api.predict({ model_name: 'chain_test/AAPL_1h_v1', symbol: 'AAPL' });
    expect(defaults.data.predictions).toHaveLength(10);
  });

  it('takes the strategy as YAML text too', async () => {
    const { training, api } = await rig();
    const started = await api.start({ strategy_yaml: smallStrategyYaml({ name: 'inline' }), epochs: 1 });
    const outcome = (await training.operations.get(started.operation_id).result()) as { model: string };
    expect(outcome.model).toBe('inline/AAPL_1h_v1');
  });

  it('answers unknown models and strategies with NotFoundError, bad ones with ValidationError', async () => {
    const { training, api } = await rig();
    for (const call of [
      () => api.model({ strategy: 'chain_test', model: 'AAPL_1h' }),
      () => api.predict({ model_name: 'chain_test/AAPL_1h_v7', symbol: 'AAPL' }),
      () => api.start({ strategy_name: 'no-such-strategy' }),
    ]) {
      expect(await rejectionOf(call())).toBeInstanceOf(NotFoundError);
    }
    const badName = await rejectionOf(api.predict({ model_name: 'not a model name', symbol: 'AAPL' }));
    expect(badName).toBeInstanceOf(ValidationError);
    expect(isKtrdrError(badName) && badName.details['field']).toBe('model');

    const { yaml, line } = badDropoutStrategy();
    const invalid = await rejectionOf(api.start({ strategy_yaml: yaml }));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid.message).toContain(`strategy.yaml:${line}:`);
    expect(isKtrdrError(invalid) && invalid.details['field']).toBe('model.architecture.dropout');

    const traversal = await rejectionOf(api.start({ strategy_name: '../secrets' }));
    expect(traversal).toBeInstanceOf(ValidationError);
    expect(training.operations.list({ type: 'training' })).toEqual([]);
  });
});
