import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { ModelStore, TrainingService, exportModelBundle, trainMlp } from '@ktrdr/training';
import { startServer } from '../src/index';
import { Resources, hasStackTrace, postJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

const TOKEN = 'import-route-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };

/** A model trained and saved in a worker's own models folder, exported as a bundle. */
async function workerBundle() {
  const rows = 120;
  const x = Float32Array.from({ length: rows * 4 }, (_, i) => Math.sin(i * 0.7));
  const y = Int32Array.from({ length: rows }, (_, i) => i % 3);
  const result = await trainMlp(
    { train: { x, y, rows, features: 4 } },
    {
      hiddenLayers: [4],
      activation: 'relu',
      dropout: 0,
      learningRate: 0.01,
      batchSize: 16,
      epochs: 1,
      optimizer: 'adam',
      seed: 1,
    },
  );
  const store = new ModelStore({ root: await resources.tempDir() });
  const saved = await store.save({
    strategy: 'handoff',
    symbol: 'AAPL',
    timeframe: '1h',
    result,
    simulated: true,
  });
  return exportModelBundle(saved.directory);
}

async function api(bodyLimitBytes?: number) {
  const modelsDir = await resources.tempDir();
  const config = loadConfig({ dataDir: await resources.tempDir(), modelsDir }, {});
  const operations = new OperationRegistry();
  const data = new DataService({ config, operations });
  const training = new TrainingService({ data, config, operations });
  const server = resources.add(
    await startServer({
      kind: 'api',
      port: 0,
      data,
      training,
      env: {},
      token: TOKEN,
      ...(bodyLimitBytes === undefined ? {} : { bodyLimitBytes }),
    }),
    (s) => s.close(),
  );
  return { url: `${server.url}/models/import`, modelsDir, server };
}

describe('POST /api/v1/models/import', () => {
  it('stores a bundle as the next version, listed by /models, behind the token', async () => {
    const bundle = await workerBundle();
    const { url, server } = await api();
    expect((await postJson(url, bundle)).status).toBe(401);
    const first = await postJson(url, bundle, auth);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      success: true,
      data: { name: 'handoff/AAPL_1h_v1', version: 1, simulated: true, latest: true },
    });
    expect((await postJson(url, bundle, auth)).body).toMatchObject({ data: { version: 2 } });
    const list = await fetch(`${server.url}/models`, { headers: auth });
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('answers a typed 4xx to a hostile, corrupt or oversized bundle, and writes nothing', async () => {
    const bundle = await workerBundle();
    const { url, modelsDir } = await api(64 * 1024);
    const weights = bundle.files.find((f) => f.name === 'weights.bin')!;
    const bad = [
      { ...bundle, files: [...bundle.files, { name: '../../escape.json', data: 'e30=', sha256: 'x' }] },
      { ...bundle, files: bundle.files.map((f) => (f === weights ? { ...f, sha256: '0'.repeat(64) } : f)) },
      { ...bundle, key: { ...bundle.key, strategy: '..' } },
      { nothing: true },
    ];
    for (const body of bad) {
      const answer = await postJson(url, body, auth);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ success: false, error: { code: 'validation' } });
      expect(hasStackTrace(answer.text)).toBe(false);
      expect(answer.text).not.toContain(modelsDir);
    }
    const huge = {
      ...bundle,
      files: [...bundle.files, { name: 'x', data: 'A'.repeat(100_000), sha256: '' }],
    };
    expect((await postJson(url, huge, auth)).status).toBe(413);
    expect(await readdir(modelsDir)).toEqual([]);
  });
});
