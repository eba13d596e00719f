import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { Collector, runKtrdr, tempDir } from './support/run-ktrdr';

/** Resolves once a TCP connection to host:port succeeds. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('ktrdr sim', () => {
  it('runs the simulator until interrupted, then stops it and exits 0', async () => {
    const interrupt = new AbortController();
    const stdout = new Collector();
    const running = runKtrdr(['sim', '--port', '0', '--seed', '7', '--latency', '5-10', '-f', 'json'], {
      interrupt: interrupt.signal,
      stdout,
    });
    await stdout.waitFor(/"port"/);
    const announced = JSON.parse(stdout.text) as { host: string; port: number; simulated: boolean };
    expect(announced).toMatchObject({ host: '127.0.0.1', simulated: true });
    expect(await connects(announced.host, announced.port)).toBe(true);
    interrupt.abort();
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Simulator stopped.');
    expect(await connects(announced.host, announced.port)).toBe(false);
  });

  it('says it serves SIMULATED data and how to point ktrdr at it', async () => {
    const interrupt = new AbortController();
    const stdout = new Collector();
    const running = runKtrdr(['sim', '--port', '0'], { interrupt: interrupt.signal, stdout });
    await stdout.waitFor(/Ctrl\+C/);
    interrupt.abort();
    const run = await running;
    expect(run.stdout).toMatch(/^IB Gateway simulator listening on 127\.0\.0\.1:\d+ \[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/IB_HOST=127\.0\.0\.1 IB_PORT=\d+/);
  });

  it.each([
    [['--latency', 'slow'], /Invalid --latency 'slow'/],
    [['--pacing', 'lax'], /Invalid --pacing 'lax': use one of practical, strict, off/],
    [['--time-scale', '0'], /Invalid --time-scale '0'/],
    [['--port', '70000'], /Invalid --port '70000'/],
  ])('rejects bad options %j', async (args, message) => {
    const run = await runKtrdr(['sim', ...args]);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(message);
  });
});

describe('ktrdr serve', () => {
  it('serves the API until interrupted, then shuts down gracefully and exits 0', async () => {
    const data = await tempDir();
    const interrupt = new AbortController();
    const stdout = new Collector();
    const running = runKtrdr(['serve', 'api', '--port', '0', '--data-dir', data.path], {
      interrupt: interrupt.signal,
      stdout,
    });
    await stdout.waitFor(/^http:\/\/\S+\n/);
    const url = stdout.text.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    // The running API answers the CLI's own --url mode.
    const symbols = await runKtrdr(['data', 'symbols', '-f', 'json', '--url', url]);
    expect(symbols).toMatchObject({ code: 0 });
    expect(JSON.parse(symbols.stdout)).toEqual([]);
    interrupt.abort();
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Stopped.');
    expect((await runKtrdr(['data', 'symbols', '--url', url])).code).toBe(EXIT_CODES.unavailable);
    await data.remove();
  });

  it('serves the training host and the IB host the same way', async () => {
    for (const kind of ['training-host', 'ib-host']) {
      const interrupt = new AbortController();
      const stdout = new Collector();
      const running = runKtrdr(['serve', kind, '--port', '0'], { interrupt: interrupt.signal, stdout });
      await stdout.waitFor(/^http:\/\/\S+\n/);
      const response = await fetch(`${stdout.text.trim()}/health`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { service: string }).service).toMatch(/host service/i);
      interrupt.abort();
      expect((await running).code).toBe(0);
    }
  });

  it('rejects an unknown server kind and a bad port', async () => {
    expect((await runKtrdr(['serve', 'web'])).stderr).toMatch(
      /Invalid server kind 'web': use one of api, ib-host, training-host/,
    );
    expect((await runKtrdr(['serve', 'api', '--port', 'x'])).code).toBe(EXIT_CODES.usage);
  });

  it('refuses a non-loopback bind without a token, naming the variable', async () => {
    const run = await runKtrdr(['serve', 'ib-host', '--host', '0.0.0.0', '--port', '0']);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/^ktrdr: .*KTRDR_API_TOKEN/);
  });
});
