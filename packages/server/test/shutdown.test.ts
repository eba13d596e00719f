import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, DataService } from '@ktrdr/data';
import { readFile } from 'node:fs/promises';
import { sampleStrategyPath } from '@ktrdr/training';
import { createTrainingHostServices, installShutdownHandlers, startServer } from '../src/index';
import { randomWalkFrame } from './support/random-walk';
import { createFakeSource } from './support/fake-source';
import { Resources, eventually, fetchJson, postJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LOAD = {
  symbol: 'AAPL',
  timeframe: '1h',
  mode: 'full',
  start_date: '2024-03-04',
  end_date: '2024-03-09',
};

/** An IB host whose source never answers a historical request until it is aborted. */
async function wedgedIbHost() {
  const source = createFakeSource({ hang: true });
  const host = await startServer({ kind: 'ib-host', port: 0, source, env: {}, shutdownTimeoutMs: 500 });
  resources.add(host, (h) => h.close());
  return { host, source };
}

describe('graceful shutdown', () => {
  it('cancels running operations, aborts their host requests, closes connections and the port', async () => {
    const { host, source } = await wedgedIbHost();
    const operations = new OperationRegistry();
    const dataDir = await resources.tempDir();
    const data = new DataService({
      config: loadConfig({ dataDir }, {}),
      adapter: new AsyncDataAdapter({ kind: 'http', url: host.url }),
      operations,
    });
    const closeData = vi.spyOn(data, 'close');
    const api = await startServer({ kind: 'api', port: 0, data, env: {} });
    resources.add(api, (a) => a.close());
    const id = (await postJson(`${api.url}/data/load`, LOAD)).body['operation_id'] as string;
    await eventually(() => (source.log.fetches.length > 0 ? true : undefined));
    expect(operations.get(id).status).toBe('running');
    const stream = await fetch(`${api.url}/operations/${id}/events`);
    const events = stream.text();

    await api.close();

    expect(operations.get(id).describe()).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    expect(closeData).toHaveBeenCalled();
    // The open progress stream ended with the cancelled snapshot rather than being cut.
    expect(await events).toMatch(/event: end\ndata: \{[^\n]*"status":"cancelled"/);
    await eventually(() => (source.log.aborted.length > 0 ? true : undefined));
    await expect(fetch(`${api.url}/health`)).rejects.toThrow();
    await api.close(); // idempotent
  });

  it('forces in-flight requests closed once the bound has passed, aborting their work', async () => {
    const { host, source } = await wedgedIbHost();
    const call = postJson(`${host.url}/data/historical`, {
      symbol: 'AAPL',
      timeframe: '1h',
      start: '2024-03-04',
      end: '2024-03-05',
    }).catch((error: unknown) => error);
    await eventually(() => (source.log.fetches.length > 0 ? true : undefined));
    await host.close();
    expect(source.log.closed).toBe(1);
    await eventually(() => (source.log.aborted.length === 1 ? true : undefined));
    expect(await call).toBeInstanceOf(Error);
  });

  it('exits 0 after a signal once the server has closed, and 1 on a second signal', async () => {
    let release: () => void = () => undefined;
    const server = { close: vi.fn(() => new Promise<void>((resolve) => (release = resolve))) };
    const exit = vi.fn();
    const uninstall = installShutdownHandlers(server, { signals: ['SIGUSR2'], exit, log: () => undefined });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(server.close).toHaveBeenCalledTimes(1);
      expect(exit).not.toHaveBeenCalled();
      release();
      await eventually(() => (exit.mock.calls.length > 0 ? true : undefined));
      expect(exit).toHaveBeenCalledWith(0);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(exit).toHaveBeenLastCalledWith(1);
      expect(server.close).toHaveBeenCalledTimes(1);
    } finally {
      uninstall();
    }
  });

  it('exits 1 when the shutdown does not finish within its bound', async () => {
    const exit = vi.fn();
    const server = { close: () => new Promise<void>(() => undefined) };
    const uninstall = installShutdownHandlers(server, {
      signals: ['SIGUSR2'],
      exit,
      log: () => undefined,
      forceAfterMs: 20,
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await eventually(() => (exit.mock.calls.length > 0 ? true : undefined));
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      uninstall();
    }
  });
});

/** Runs a bin from its TypeScript source, as `node --import tsx`, from the repository root. */
function spawnBin(
  bin: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess & { output: () => string } {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Nothing of the machine's ktrdr settings may leak into the child.
    if (value !== undefined && !/^(KTRDR_|IB_|USE_|TRAINING_)/.test(key)) childEnv[key] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', `packages/server/src/bin/${bin}.ts`, ...args], {
    cwd: REPO_ROOT,
    env: { ...childEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  resources.add(child, (c) => {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  return Object.assign(child, { output: () => output });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('training host shutdown', () => {
  it('stops a running session when the training host closes', async () => {
    const dataDir = await resources.tempDir();
    const data = resources.add(
      new DataService({ config: loadConfig({ dataDir, modelsDir: dataDir }, {}) }),
      (d) => d.close(),
    );
    await data.store.save('AAPL', '1h', randomWalkFrame(1200), { simulated: true });
    const { sessions } = createTrainingHostServices({ data });
    const host = await startServer({ kind: 'training-host', port: 0, sessions, env: {} });
    resources.add(host, (h) => h.close());
    const yaml = await readFile(sampleStrategyPath(), 'utf8');
    const started = await postJson(`${host.url}/training/start`, {
      model_configuration: { strategy_yaml: yaml },
      training_configuration: { epochs: 100_000 },
      data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
    });
    expect(started.status).toBe(200);
    const id = started.body['session_id'] as string;
    await eventually(() => (sessions.status(id).status === 'running' ? true : undefined), 15_000);

    await host.close();

    await eventually(() => (sessions.status(id).status === 'stopped' ? true : undefined));
    await expect(fetch(`${host.url}/health`)).rejects.toThrow();
  }, 30_000);
});

describe('server bins', () => {
  it('ktrdr-api prints its URL, and on SIGTERM cancels the running load and exits 0', async () => {
    const { host, source } = await wedgedIbHost();
    const dataDir = await resources.tempDir();
    const child = spawnBin('ktrdr-api', ['--port', '0'], {
      USE_IB_HOST_SERVICE: 'true',
      IB_HOST_SERVICE_URL: host.url,
      KTRDR_DATA_DIR: dataDir,
    });
    const url = await eventually(
      () => /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(child.output())?.[1],
      15_000,
    );
    const health = await fetchJson(`${url}/health`);
    expect(health.body).toMatchObject({
      healthy: true,
      components: { data: { mode: 'http', source: 'fake' } },
    });
    const id = (await postJson(`${url}/data/load`, LOAD)).body['operation_id'] as string;
    expect(id).toMatch(/^op_data_load_/);
    await eventually(() => (source.log.fetches.length > 0 ? true : undefined));

    child.kill('SIGTERM');

    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(child.output()).toContain('Shut down cleanly');
    // Cancelling the operation aborted its request to the IB host.
    await eventually(() => (source.log.aborted.length > 0 ? true : undefined));
  });

  it.each(['ktrdr-ib-host', 'ktrdr-training-host'])(
    '%s serves /health and exits 0 on SIGINT',
    async (bin) => {
      const dataDir = await resources.tempDir();
      const child = spawnBin(bin, ['--port', '0'], {
        KTRDR_DATA_DIR: dataDir,
        KTRDR_MODELS_DIR: dataDir,
        // A port nothing listens on: health must not reach whatever gateway this machine runs.
        IB_PORT: '1',
      });
      const url = await eventually(
        () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output())?.[1],
        15_000,
      );
      const health = await fetchJson(`${url}/health`);
      expect(health.status).toBe(200);
      expect(typeof health.body['service']).toBe('string');
      child.kill('SIGINT');
      expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    },
  );

  it('ktrdr-ib-host refuses a non-loopback host without KTRDR_API_TOKEN and exits 1', async () => {
    const child = spawnBin('ktrdr-ib-host', ['--host', '0.0.0.0', '--port', '0'], {});
    expect(await exitOf(child)).toEqual({ code: 1, signal: null });
    expect(child.output()).toContain('KTRDR_API_TOKEN');
    expect(child.output()).not.toMatch(/\n\s+at /);
  });
});
