import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { createApiRouter, createBearerAuth, createDashboardRouter, startServer } from '../src/index';
import { Resources } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

/** A built dashboard's layout: index.html and a hashed asset. */
async function fakeBuild(): Promise<string> {
  const dir = await resources.tempDir();
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>ktrdr dashboard</title>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  return dir;
}

describe('the dashboard beside the API', () => {
  it('serves its files without a token while every API call needs one (an app mounting createApiRouter)', async () => {
    const data = resources.add(
      new DataService({ config: loadConfig({ dataDir: await resources.tempDir() }, {}) }),
      (d) => d.close(),
    );
    const app = express();
    app.use('/dashboard', createDashboardRouter({ assetsDir: await fakeBuild(), requiresToken: true }));
    app.use('/api/v1', createBearerAuth('s3cret'), createApiRouter({ data }));
    const { url } = await resources.listen(app);

    const page = await fetch(`${url}/dashboard/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ktrdr dashboard');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const asset = await fetch(`${url}/dashboard/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${url}/dashboard/server-info.json`)).json()).toEqual({
      api_base_path: '/api/v1',
      requires_token: true,
    });
    // Relative asset URLs need the trailing slash.
    const bare = await fetch(`${url}/dashboard?x=1`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/dashboard/');

    expect((await fetch(`${url}/api/v1/symbols`)).status).toBe(401);
    const signed = await fetch(`${url}/api/v1/symbols`, { headers: { authorization: 'Bearer s3cret' } });
    expect(signed.status).toBe(200);
  });

  it('answers 503 with how to build it, and no server path, when the dashboard is not built', async () => {
    const empty = await resources.tempDir();
    const app = express();
    app.use('/dashboard', createDashboardRouter({ assetsDir: empty }));
    const { url } = await resources.listen(app);
    const answer = await fetch(`${url}/dashboard/`);
    expect(answer.status).toBe(503);
    const text = await answer.text();
    expect(text).toContain('npm run build -w @ktrdr/dashboard');
    expect(text).not.toContain(empty);
  });

  it('is mounted by startServer for the API, before its bearer auth, and tells the page a token is needed', async () => {
    const api = resources.add(
      await startServer({
        kind: 'api',
        port: 0,
        token: 'tok',
        env: {},
        config: loadConfig({ dataDir: await resources.tempDir() }, {}),
      }),
      (s) => s.close(),
    );
    const info = await fetch(`${api.origin}/dashboard/server-info.json`);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ api_base_path: '/api/v1', requires_token: true });
    expect((await fetch(`${api.url}/health`)).status).toBe(401);
  });
});
