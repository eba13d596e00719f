import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, DataService } from '@ktrdr/data';
import { TrainingService, sampleStrategyPath } from '@ktrdr/training';
import { startServer } from '../src/index';
import { createFakeSource } from './support/fake-source';
import { Resources, errorOf, eventually, fetchJson, postJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';

const resources = new Resources();
afterEach(() => resources.closeAll());

/**
 * The Python deployment's picture: the API and the training host share the data and models
 * folders; the API starts trainings on the host over HTTP (`USE_TRAINING_HOST_SERVICE=true`).
 */
async function startTrainingDeployment() {
  const dataDir = await resources.tempDir();
  const modelsDir = await resources.tempDir();
  const hostData = new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) });
  await hostData.store.save('AAPL', '1h', randomWalkFrame(1200), { simulated: true });
  const host = resources.add(
    await startServer({ kind: 'training-host', port: 0, data: hostData, env: {} }),
    (h) => h.close(),
  );
  resources.add(hostData, (d) => d.close());

  const config = loadConfig(
    { dataDir, modelsDir, training: { useHostService: true, hostServiceUrl: host.url } },
    {},
  );
  const operations = new OperationRegistry();
  const data = new DataService({
    config,
    operations,
    adapter: new AsyncDataAdapter({ kind: 'in-process', source: createFakeSource() }),
  });
  const training = new TrainingService({ data, config, operations });
  const api = resources.add(await startServer({ kind: 'api', port: 0, data, training, env: {} }), (a) =>
    a.close(),
  );
  return { api, host };
}

describe('training through the API and the training host', () => {
  it('trains the sample strategy on the host, then lists, shows and predicts with the model', async () => {
    const { api, host } = await startTrainingDeployment();
    const health = await fetchJson(`${api.url}/health`);
    expect(health.body).toMatchObject({
      healthy: true,
      components: { training: { healthy: true, service: 'Training host service', mode: 'http' } },
    });

    const started = await postJson(`${api.url}/trainings/start`, {
      strategy_name: 'neuro-fuzzy-sample',
      symbol: 'AAPL',
      timeframe: '1h',
      epochs: 2,
      seed: 1,
    });
    expect(started.status).toBe(200);
    const id = started.body['operation_id'] as string;
    expect(id).toMatch(/^op_training_/);
    const done = await fetchJson(`${api.url}/operations/${id}/wait`);
    expect(done.body).toMatchObject({
      data: {
        status: 'completed',
        operation_type: 'training',
        metadata: { symbol: 'AAPL', timeframe: '1h' },
      },
    });
    const model = (done.body['data'] as { result_summary: { model: string } }).result_summary.model;
    expect(model).toMatch(/^neuro_fuzzy_sample\/AAPL_1h_v1$/);

    const sessions = await fetchJson(`${host.url}/training/sessions`);
    expect(sessions.body['sessions']).toEqual([
      expect.objectContaining({ status: 'completed', symbol: 'AAPL', simulated: true }),
    ]);

    const models = await fetchJson(`${api.url}/models`);
    expect(models.body).toMatchObject({
      success: true,
      data: [{ name: model, symbol: 'AAPL', simulated: true }],
    });
    const shown = await fetchJson(`${api.url}/models/${model}`);
    expect(shown.status).toBe(200);
    expect((shown.body['data'] as { features: string[] }).features.length).toBeGreaterThan(0);

    const predicted = await postJson(`${api.url}/models/predict`, {
      model_name: model,
      symbol: 'AAPL',
      bars: 3,
    });
    expect(predicted.status).toBe(200);
    const predictions = (predicted.body['data'] as { predictions: { signal: string }[] }).predictions;
    expect(predictions).toHaveLength(3);
    for (const p of predictions) expect(['BUY', 'HOLD', 'SELL']).toContain(p.signal);
  }, 60_000);

  it('answers training failures with real statuses', async () => {
    const { api, host } = await startTrainingDeployment();
    const unknownStrategy = await postJson(`${api.url}/trainings/start`, {
      strategy_name: 'no-such-strategy',
    });
    expect(unknownStrategy.status).toBe(404);
    const badName = await postJson(`${api.url}/trainings/start`, { strategy_name: '../etc/passwd' });
    expect(badName.status).toBe(400);
    expect(errorOf(badName.body).details).toMatchObject({ field: 'strategy_name' });
    const noModel = await fetchJson(`${api.url}/models/neuro_fuzzy_sample/AAPL_1h`);
    expect(noModel.status).toBe(404);
    const badStart = await postJson(`${host.url}/training/start`, { model_configuration: {} });
    expect(badStart.status).toBe(400);
    const unknownSession = await fetchJson(`${host.url}/training/status/nope`);
    expect(unknownSession.status).toBe(404);
    expect((await fetchJson(`${host.url}/health`)).body).toMatchObject({ healthy: true, active_sessions: 0 });
  });

  it('stops a host session when its API operation is cancelled', async () => {
    const { api, host } = await startTrainingDeployment();
    const started = await postJson(`${api.url}/trainings/start`, {
      strategy_name: 'neuro-fuzzy-sample',
      symbol: 'AAPL',
      timeframe: '1h',
      epochs: 100_000,
    });
    const id = started.body['operation_id'] as string;
    const running = await eventually(async () => {
      const { body } = await fetchJson(`${host.url}/training/sessions`);
      const sessions = body['sessions'] as { session_id: string; status: string }[];
      return sessions.find((session) => session.status === 'running');
    }, 20_000);
    const cancelled = await fetchJson(`${api.url}/operations/${id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    const final = await fetchJson(`${api.url}/operations/${id}/wait`);
    expect(final.body).toMatchObject({ data: { status: 'cancelled' } });
    await eventually(async () => {
      const { body } = await fetchJson(`${host.url}/training/status/${running.session_id}`);
      return body['status'] === 'stopped' ? true : undefined;
    });
  }, 40_000);

  it('serves the training host routes directly: start, status, stop, sessions', async () => {
    const { host } = await startTrainingDeployment();
    const strategy = await readFile(sampleStrategyPath(), 'utf8');
    const started = await postJson(`${host.url}/training/start`, {
      session_id: 'direct-1',
      model_configuration: { strategy_yaml: strategy },
      training_configuration: { epochs: 100_000 },
      data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
    });
    expect(started.body).toEqual({
      success: true,
      session_id: 'direct-1',
      status: 'started',
      message: expect.any(String),
    });
    const duplicate = await postJson(`${host.url}/training/start`, {
      session_id: 'direct-1',
      model_configuration: { strategy_yaml: strategy },
      data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
    });
    expect(duplicate.status).toBe(409);
    const status = await fetchJson(`${host.url}/training/status/direct-1`);
    expect(status.body).toMatchObject({ session_id: 'direct-1', symbol: 'AAPL', timeframe: '1h' });
    const stopped = await postJson(`${host.url}/training/stop`, { session_id: 'direct-1' });
    expect(stopped.status).toBe(200);
    await eventually(async () => {
      const { body } = await fetchJson(`${host.url}/training/status/direct-1`);
      return body['status'] === 'stopped' ? true : undefined;
    }, 20_000);
    const unknownStop = await postJson(`${host.url}/training/stop`, { session_id: 'nope' });
    expect(unknownStop.status).toBe(404);
    const badId = await fetchJson(`${host.url}/training/status/${encodeURIComponent('bad id!')}`);
    expect(badId.status).toBe(400);
    expect(errorOf(badId.body).details).toMatchObject({ field: 'session_id' });
  }, 40_000);
});
