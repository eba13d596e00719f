import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceConfigurationError, loadConfig } from '@ktrdr/core';
import { startIbSimulator } from '@ktrdr/ib-sim';
import express from 'express';
import { createIbHostRouter, createServerLogger, startServer } from '../src/index';
import { readLogSettings } from '../src/logging/log-settings';
import { createFakeSource } from './support/fake-source';
import { Resources, eventually, fetchJson } from './support/harness';
import { REPO_ROOT, spawnCli, spawnServerBin } from './support/spawn-bin';

const resources = new Resources();
afterEach(() => resources.closeAll());

const TOKEN = 'tok-logging-test-0123456789';

/** A stream that keeps every line written to it. */
function capture(isTTY = false) {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((line) => line !== ''),
        );
        done();
      },
    }),
    { isTTY },
  );
  return { stream, lines, text: () => lines.join('\n') };
}

function entries(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('server logging: access log through pino-http', () => {
  it('logs method, path, status, duration and request id as JSON, with no token and no absolute path', async () => {
    const log = capture();
    const logger = createServerLogger({ stream: log.stream, env: {} });
    const server = resources.add(
      await startServer({ kind: 'ib-host', port: 0, token: TOKEN, source: createFakeSource(), logger }),
      (s) => s.close(),
    );
    const auth = { authorization: `Bearer ${TOKEN}` };
    const ok = await fetchJson(`${server.url}/health?token=${TOKEN}`, { headers: auth });
    expect(ok.status).toBe(200);
    const given = await fetchJson(`${server.url}/health`, {
      headers: { ...auth, 'x-request-id': 'abc-123' },
    });
    const refused = await fetchJson(`${server.url}/health`, {
      headers: { authorization: 'Bearer wrong-token' },
    });
    expect(refused.status).toBe(401);
    const secretPath = join(tmpdir(), 'alice', 'secret.csv');
    const missing = await fetchJson(`${server.url}${secretPath}`, { headers: auth });
    expect(missing.status).toBe(404);

    const lines = await eventually(() => (log.lines.length >= 4 ? entries(log.lines) : undefined));
    const access = lines.filter((line) => typeof line['responseTime'] === 'number');
    expect(access.map((line) => line['res'])).toEqual([
      { statusCode: 200 },
      { statusCode: 200 },
      { statusCode: 401 },
      { statusCode: 404 },
    ]);
    const first = access[0] as Record<string, unknown>;
    expect(first).toMatchObject({
      level: 30,
      msg: 'GET /health 200',
      req: { method: 'GET', path: '/health' },
    });
    // The request id is answered too; a caller's own sane id is kept.
    expect((first['req'] as { id: string }).id).toBe(ok.headers.get('x-request-id'));
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    expect(access[1]).toMatchObject({ req: { id: 'abc-123' } });
    expect(access[2]).toMatchObject({ level: 40 });
    // No token (header or query), no absolute path, no header at all.
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain('wrong-token');
    expect(log.text()).not.toContain(secretPath);
    expect(log.text()).not.toContain(tmpdir());
    expect(log.text()).toContain('<temp>');
    expect(log.text()).not.toContain('authorization');
  });

  it("redacts authorization headers through pino's redact and paths in any line", () => {
    const log = capture();
    const logger = createServerLogger({ stream: log.stream, env: { LOG_LEVEL: 'debug' } });
    logger.info({ req: { headers: { authorization: `Bearer ${TOKEN}`, accept: 'x' } } }, 'a request');
    logger.debug({ file: join(REPO_ROOT, 'data', 'AAPL_1h.csv') }, `cannot read ${join(tmpdir(), 'x.csv')}`);
    const [request, failure] = entries(log.lines);
    expect(request).toMatchObject({ req: { headers: { authorization: '[redacted]', accept: 'x' } } });
    expect(failure).toMatchObject({ level: 20, msg: 'cannot read <temp>/x.csv' });
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain(REPO_ROOT);
  });
});

describe('server logging: LOG_LEVEL and LOG_FORMAT', () => {
  it('is JSON off a TTY, a readable line on a TTY or with LOG_FORMAT=pretty', () => {
    expect(readLogSettings({}, false)).toEqual({ level: 'info', format: 'json' });
    expect(readLogSettings({}, true)).toEqual({ level: 'info', format: 'pretty' });
    expect(readLogSettings({ LOG_FORMAT: 'json', LOG_LEVEL: 'WARN' }, true)).toEqual({
      level: 'warn',
      format: 'json',
    });
    const log = capture();
    const logger = createServerLogger({ stream: log.stream, env: { LOG_FORMAT: 'pretty' } });
    logger.info({ url: 'http://127.0.0.1:1/x', n: 2 }, 'listening');
    logger.debug('not shown at info');
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}listening url=http:\/\/127\.0\.0\.1:1\/x n=2$/,
    );
  });

  it('refuses a level or format it does not know, naming the variable', () => {
    expect(() => readLogSettings({ LOG_LEVEL: 'verbose' }, false)).toThrow(ServiceConfigurationError);
    expect(() => readLogSettings({ LOG_LEVEL: 'verbose' }, false)).toThrow(/LOG_LEVEL/);
    expect(() => readLogSettings({ LOG_FORMAT: 'xml' }, false)).toThrow(/LOG_FORMAT/);
  });
});

describe('server logging: the bin', () => {
  it('ktrdr-ib-host logs JSON: start, access lines, and IB connect, drop and reconnect', async () => {
    const sim = resources.add(await startIbSimulator({ port: 0 }), (s) => s.close());
    const dataDir = await resources.tempDir();
    const host = spawnServerBin(resources, 'ktrdr-ib-host', {
      IB_HOST: sim.host,
      IB_PORT: String(sim.port),
      KTRDR_DATA_DIR: dataDir,
      KTRDR_API_TOKEN: TOKEN,
      LOG_LEVEL: 'debug',
    });
    const url = await eventually(
      () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(host.output())?.[1],
      20_000,
    );
    const info = await fetchJson(`${url}/data/symbol-info/AAPL`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(info.status).toBe(200);
    sim.dropConnections();
    await eventually(() => (/IB: reconnected to/.test(host.output()) ? true : undefined), 20_000);

    const lines = entries(
      host
        .stdoutText()
        .split('\n')
        .filter((line) => line !== ''),
    );
    expect(lines[0]).toMatchObject({ name: 'ktrdr-ib-host', level: 30, url });
    const ib = lines.filter((line) => line['component'] === 'ib');
    const messages = ib.map((line) => String(line['msg']));
    expect(messages.some((m) => m.startsWith('IB: connected to'))).toBe(true);
    expect(ib.find((line) => String(line['msg']).startsWith('IB: connected'))).toMatchObject({
      endpoint: `${sim.host}:${sim.port}`,
      simulated: true,
    });
    expect(ib.some((line) => line['level'] === 40 && /pending request/.test(String(line['msg'])))).toBe(true);
    expect(messages.some((m) => m.startsWith('IB: reconnect attempt'))).toBe(true);
    expect(lines.some((line) => line['msg'] === 'GET /data/symbol-info/AAPL 200')).toBe(true);
    expect(host.output()).not.toContain(TOKEN);
    expect(host.output()).not.toContain(dataDir);
  }, 40_000);
});

describe('server logging: ktrdr serve', () => {
  it('logs to stderr, so that stdout keeps only the URL', async () => {
    const dataDir = await resources.tempDir();
    const serve = spawnCli(resources, ['serve', 'ib-host', '--port', '0'], {
      KTRDR_DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
    });
    const url = await eventually(
      () => /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(serve.stdoutText())?.[1],
      20_000,
    );
    expect((await fetchJson(`${url}/health`)).status).toBe(200);
    const access = await eventually(
      () => /^\{.*"msg":"GET \/health 200".*\}$/m.exec(serve.output().replace(serve.stdoutText(), ''))?.[0],
    );
    expect(JSON.parse(access)).toMatchObject({
      name: 'ktrdr serve',
      req: { method: 'GET', path: '/health' },
    });
    expect(serve.stdoutText()).toBe(`${url}\n`);
  }, 30_000);
});

describe("server logging: a user's own logger", () => {
  it('a console-like logger passed to createIbHostRouter gets the IB events of the source it builds', async () => {
    const sim = resources.add(await startIbSimulator({ port: 0 }), (s) => s.close());
    const config = loadConfig(
      { dataDir: await resources.tempDir() },
      { IB_HOST: sim.host, IB_PORT: String(sim.port), IB_CLIENT_ID: '41' },
    );
    const events: string[] = [];
    const logger = {
      info: (message: string) => events.push(message),
      warn: (message: string) => events.push(message),
    };
    const app = express();
    app.use(resources.add(createIbHostRouter({ config, logger }), (router) => router.close()));
    const { url } = await resources.listen(app);
    expect((await fetchJson(`${url}/data/symbol-info/AAPL`)).status).toBe(200);
    expect(events).toContain(`IB: connected to ${sim.host}:${sim.port} as client 41`);
  });
});
