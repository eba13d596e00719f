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

  it('a host restarted under a training (shut down, back on its port) fails it as the host’s fault', async () => {
    const dataDir = await resources.tempDir();
    const modelsDir = await resources.tempDir();
    const hostData = resources.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
      d.close(),
    );
    await hostData.store.save('AAPL', '1h', randomWalkFrame(1200), { simulated: true });
    const first = await startServer({ kind: 'training-host', port: 0, data: hostData, env: {} });
    const port = Number(new URL(first.url).port);
    const config = loadConfig(
      { dataDir, modelsDir, training: { useHostService: true, hostServiceUrl: first.url } },
      {},
    );
    const operations = new OperationRegistry();
    const data = new DataService({ config, operations });
    const training = new TrainingService({ data, config, operations });
    resources.add(training, (t) => t.close());
    resources.add(data, (d) => d.close());
    const handle = await training.startTraining({
      strategyYaml: await endlessStrategy(),
      symbol: 'AAPL',
      timeframe: '1h',
      epochs: 100_000,
    });
    await eventually(() => ((handle.describe().progress.percentage ?? 0) > 0 ? true : undefined), 30_000);

    // A supervisor's restart: the host stops its sessions and exits, a new one takes the port.
    await first.close();
    const second = await startServer({ kind: 'training-host', port, data: hostData, env: {} });
    resources.add(second, (h) => h.close());

    const error = await handle.result().catch((e: unknown) => e);
    // Not "cancelled" (nobody cancelled) nor "not found" (exit 3): the host failed the training.
    expect(handle.describe()).toMatchObject({ status: 'failed', error_code: 'host_service' });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Training host service at ${first.url} (stopped|no longer knows) training session \\S+ mid-training`,
      ),
    );
    expect(await new ModelStore({ root: modelsDir }).list()).toEqual([]);
  }, 60_000);
});
