import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type OperationInfo,
  OperationRegistry,
  createHttpTransport,
  createServiceClient,
  loadConfig,
  operationsContract,
} from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { ModelStore, TrainingService } from '@ktrdr/training';
import { startServer } from '../src/index';
import { endlessStrategy } from './support/strategies';
import { Resources, eventually } from './support/harness';
import { randomWalkFrame } from './support/random-walk';
import { spawnCli, spawnServerBin } from './support/spawn-bin';

const resources = new Resources();
afterEach(() => resources.closeAll());

describe('fault: the training host killed mid-training', () => {
  it('fails the operation with a typed error naming the host; the CLI exits 4; no model is stored', async () => {
    const dataDir = await resources.tempDir();
    const modelsDir = await resources.tempDir();
    const strategyFile = join(await resources.tempDir(), 'endless.yaml');
    await writeFile(strategyFile, await endlessStrategy());
    const seed = new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) });
    await seed.store.save('AAPL', '1h', randomWalkFrame(1200), { simulated: true });
    await seed.close();

    const host = spawnServerBin(resources, 'ktrdr-training-host', {
      KTRDR_DATA_DIR: dataDir,
      KTRDR_MODELS_DIR: modelsDir,
    });
    const hostUrl = await eventually(
      () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(host.output())?.[1],
      20_000,
    );
    // The API trains on the host, as USE_TRAINING_HOST_SERVICE=true deploys it.
    const config = loadConfig(
      { dataDir, modelsDir, training: { useHostService: true, hostServiceUrl: hostUrl } },
      {},
    );
    const operations = new OperationRegistry();
    const data = new DataService({ config, operations });
    const training = new TrainingService({ data, config, operations });
    const api = resources.add(await startServer({ kind: 'api', port: 0, data, training, env: {} }), (a) =>
      a.close(),
    );

    // The CLI starts the training through the API and follows it.
    const cli = spawnCli(resources, [
      'models',
      'train',
      strategyFile,
      'AAPL',
      '1h',
      '--epochs',
      '100000',
      '--url',
      api.url,
    ]);
    const running = await eventually(() => {
      const found = operations.list({ status: 'running' })[0];
      return found !== undefined && (found.progress.percentage ?? 0) > 0 ? found : undefined;
    }, 30_000);
    await eventually(() => (/\d+%/.test(cli.output()) ? true : undefined), 30_000);
    const transport = resources.add(
      createHttpTransport({ baseUrl: api.url, serviceName: 'ktrdr API' }),
      (t) => t.close(),
    );
    const following = createServiceClient(operationsContract, transport).wait(
      { operation_id: running.operation_id },
      { timeoutMs: 60_000 },
    );

    host.kill('SIGKILL');
    const killedAt = Date.now();

    // The operation fails loudly, within a bound, with a typed error naming the host and its URL.
    const final = (await following).data as OperationInfo;
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(final).toMatchObject({ status: 'failed', error_code: 'connection_failed' });
    expect(final.error_message).toContain('Training host service');
    expect(final.error_message).toContain(hostUrl);
    expect(final.error_message).toContain('TRAINING_HOST_SERVICE_URL');
    // The CLI says the same and exits with the documented code of an unusable service.
    const cliExit = await cli.exited;
    expect(cliExit).toEqual({ code: 4, signal: null });
    expect(cli.output()).toMatch(/^ktrdr: .*Training host service.*not reachable/m);
    // No model is stored as if complete.
    expect(await new ModelStore({ root: modelsDir }).list()).toEqual([]);
  }, 90_000);
});
