import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError, createInProcessTransport, createServiceClient, loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrainingApiService } from '../../src/api/create-training-api-service';
import { trainingApiContract } from '../../src/contract/training-api-contract';
import { TrainingService } from '../../src/service/training-service';
import { Cleanup, rejectionOf } from './support/harness';
import { badDropoutStrategy } from './support/strategies';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A training service and its API in-process, with a strategies folder holding an invalid strategy. */
async function rig() {
  const dataDir = await cleanup.tempDir();
  const modelsDir = await cleanup.tempDir();
  const strategiesDir = await cleanup.tempDir();
  const { yaml, line } = badDropoutStrategy();
  await writeFile(path.join(strategiesDir, 'broken.yaml'), yaml);
  const data = cleanup.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
    d.close(),
  );
  const training = cleanup.add(new TrainingService({ data, maxConcurrentSessions: 1 }), (t) => t.close());
  const api = createServiceClient(
    trainingApiContract,
    createInProcessTransport(createTrainingApiService(training, { strategiesDir })),
  );
  return { training, api, yaml, line, strategiesDir };
}

// Issue #12, defect 10: strategy problems named `strategy.yaml` whatever the file was.
describe('strategy problems name the real file', () => {
  it('names the path a strategy file was loaded from, as given', async () => {
    const { training, yaml, line } = await rig();
    const dir = path.join(await cleanup.tempDir(), 'my strategies');
    await mkdir(dir);
    const file = path.join(dir, 'momentum.yaml');
    await writeFile(file, yaml);
    const error = await rejectionOf(
      training.startTraining({ strategyPath: file, symbol: 'AAPL', timeframe: '1h' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`Invalid strategy ${file} (1 problem)`);
    expect(error.message).toContain(`${file}:${line}:`);
  });

  it('names the client file of YAML sent over the API (as ktrdr models train sends it)', async () => {
    const { api, yaml, line } = await rig();
    const error = await rejectionOf(
      api.start({ strategy_yaml: yaml, strategy_file: 'research/momentum.yaml' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`research/momentum.yaml:${line}:`);
    expect(error.message).not.toContain('strategy.yaml');
  });

  it('names a server-side strategy by its name, never by the server folder', async () => {
    const { api, line, strategiesDir } = await rig();
    const error = await rejectionOf(api.start({ strategy_name: 'broken' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`broken.yaml:${line}:`);
    expect(error.message).not.toContain(strategiesDir);
  });
});
