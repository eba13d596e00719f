import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { Collector, runKtrdr, tempDir } from './support/run-ktrdr';

describe('ktrdr dashboard', () => {
  it('starts an API when none runs, prints its dashboard URL, and finds that API next time', async () => {
    const data = await tempDir();
    const interrupt = new AbortController();
    const stdout = new Collector();
    const stderr = new Collector();
    const running = runKtrdr(['dashboard', '--port', '0', '--data-dir', data.path], {
      interrupt: interrupt.signal,
      stdout,
      stderr,
    });
    try {
      await stdout.waitFor(/^http:\/\/\S+\n/);
      const url = stdout.text.trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dashboard\/$/);
      await stderr.waitFor(/Dashboard: /);
      // What the page reads first: where the API is and that this one needs no token.
      const info = await fetch(`${url}server-info.json`);
      expect(await info.json()).toEqual({ api_base_path: '/api/v1', requires_token: false });

      // A second `ktrdr dashboard` pointed at it finds it and starts nothing.
      const found = await runKtrdr(['dashboard', '-f', 'json', '--url', new URL(url).origin]);
      expect(found.code).toBe(0);
      expect(JSON.parse(found.stdout)).toEqual({
        kind: 'api',
        url,
        origin: new URL(url).origin,
        started: false,
      });
    } finally {
      interrupt.abort();
      expect((await running).code).toBe(0);
      await data.remove();
    }
  });

  it('fails as unavailable, saying what to do, when the API it is pointed at is not there', async () => {
    const run = await runKtrdr(['dashboard', '--url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(EXIT_CODES.unavailable);
    expect(run.stderr).toMatch(
      /No ktrdr dashboard answers at http:\/\/127\.0\.0\.1:9 \(--url\).*ktrdr serve api/,
    );
  });
});
