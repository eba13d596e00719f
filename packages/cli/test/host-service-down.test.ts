import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '@ktrdr/core';
import { startServer } from '@ktrdr/server';
import { sampleStrategyPath } from '@ktrdr/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { runKtrdr, tempDir } from './support/run-ktrdr';

let home: Awaited<ReturnType<typeof tempDir>>;
let hostUrl: string;

/** A loopback port that was free a moment ago: nothing listens there, connections are refused. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  home = await tempDir();
  hostUrl = `http://127.0.0.1:${await deadPort()}`;
});
afterAll(() => home.remove());

const expected = () =>
  `ktrdr: Training host service is not reachable at ${hostUrl} (ECONNREFUSED). Is it running? Start it, or check TRAINING_HOST_SERVICE_URL.`;

describe('a training host that is down, from the CLI', () => {
  it('in-process: exit 4 with the URL and the variable to check, nothing else', async () => {
    const run = await runKtrdr(
      [
        'models',
        'train',
        sampleStrategyPath(),
        'AAPL',
        '1h',
        '--no-progress',
        '-v',
        '--data-dir',
        join(home.path, 'data'),
        '--models-dir',
        join(home.path, 'models'),
      ],
      { env: { USE_TRAINING_HOST_SERVICE: 'true', TRAINING_HOST_SERVICE_URL: hostUrl } },
    );
    expect(run.code).toBe(EXIT_CODES.unavailable);
    expect(run.stderr.split('\n')[0]).toBe(expected());
    // The typed error under it: a ServiceConnectionError's code, as the training operation ended.
    expect(run.stderr).toContain('  code: connection_failed');
  });

  it('through the API: the training operation fails the same way, exit 4', async () => {
    const config = loadConfig(
      {
        dataDir: join(home.path, 'data'),
        modelsDir: join(home.path, 'models'),
        training: { useHostService: true, hostServiceUrl: hostUrl },
      },
      {},
    );
    const api = await startServer({ kind: 'api', port: 0, config, env: {} });
    try {
      const run = await runKtrdr([
        'models',
        'train',
        sampleStrategyPath(),
        'AAPL',
        '1h',
        '--no-progress',
        '--url',
        api.url,
      ]);
      expect(run.code).toBe(EXIT_CODES.unavailable);
      expect(run.stderr.trimEnd().split('\n')).toEqual([expected()]);
    } finally {
      await api.close();
    }
  });
});
