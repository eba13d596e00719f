import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_PATH, dashboardAssetsDir, isDashboardBuilt } from '../src/index';
import { ensureAppBuilt } from './support/ensure-app-built';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('the built dashboard', () => {
  beforeAll(() => ensureAppBuilt(), 120_000);

  it('is where dashboardAssetsDir() says, with relative asset URLs so any mount path works', async () => {
    expect(DASHBOARD_PATH).toBe('/dashboard');
    expect(dashboardAssetsDir()).toBe(join(PACKAGE_DIR, 'dist', 'app'));
    expect(isDashboardBuilt()).toBe(true);
    const html = await readFile(join(dashboardAssetsDir(), 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js">/);
    // Nothing from a CDN: it works offline.
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('is a production build even under NODE_ENV=test: no absolute path (dev JSX), no development build of a dependency', async () => {
    const assets = join(dashboardAssetsDir(), 'assets');
    for (const file of await readdir(assets)) {
      const text = await readFile(join(assets, file), 'utf8');
      expect(text.includes(PACKAGE_DIR.replace(/\/$/, '')), file).toBe(false);
      // toBe(false) rather than not.toContain: a failure must not print a 200 KB bundle.
      expect(text.includes('jsxDEV'), file).toBe(false);
      // lightweight-charts' development build (its export condition under NODE_ENV=test): 1.8x larger.
      expect(text.includes('You should turn autoSize off explicitly'), file).toBe(false);
    }
  });
});
