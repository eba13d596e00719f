import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createDataApiService, dataApiContract } from '@ktrdr/data';
import { createApiRouter, startServer } from '../src/index';
import { hourlyBars, fakeDataService } from './support/api-fixture';
import { Resources } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = fileURLToPath(new URL('../../data/test/fixtures/store-writer.ts', import.meta.url));

/**
 * The API over a store that trusts file versions at once, so only the version check decides:
 * its router in an app of the caller's (Express routes every request), or the standalone server
 * (its hot lane answers bars ahead of Express).
 */
async function startApi(mode: 'embedded' | 'standalone') {
  const { data, dataDir } = await fakeDataService(resources, { trustVersions: true });
  if (mode === 'standalone') {
    const server = resources.add(
      await startServer({ kind: 'api', host: '127.0.0.1', port: 0, data, env: {} }),
      (s) => s.close(),
    );
    return { url: server.url, data, dataDir };
  }
  const app = express();
  app.use('/api/v1', createApiRouter({ data }));
  const { url } = await resources.listen(app);
  return { url: `${url}/api/v1`, data, dataDir };
}

describe.each(['embedded', 'standalone'] as const)(
  'GET /data/:symbol/:timeframe (the hot path, %s)',
  (mode) => {
    it('answers the bytes the data service would, for tails, ranges, aliases and real-over-simulated', async () => {
      const { url, data } = await startApi(mode);
      await data.store.save('AAPL', '1h', hourlyBars(300), { simulated: true });
      await data.store.save('MSFT', '1h', hourlyBars(50), { simulated: true });
      await data.store.save('MSFT', '1h', hourlyBars(40, Date.UTC(2024, 1, 1)));
      const service = createDataApiService(data);
      const queries = [
        'AAPL/1h?limit=100',
        'AAPL/1h?limit=100', // from memory this time
        'AAPL/1h?limit=1000',
        'AAPL/1h',
        'aapl/1h?start=2024-01-02T00:00:00Z&end=2024-01-03&limit=5',
        'AAPL/1h?start_date=2024-01-02&end_date=2024-01-03',
        'MSFT/1h?limit=3',
      ];
      for (const query of queries) {
        const response = await fetch(`${url}/data/${query}`);
        expect(response.status, query).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json');
        const [path, search = ''] = query.split('?');
        const expected = await service.handle(
          { method: 'GET', path: `/data/${path}`, query: Object.fromEntries(new URLSearchParams(search)) },
          { signal: new AbortController().signal, reportProgress: () => undefined, transport: 'http' },
        );
        expect(dataApiContract.routes.bars.output.parse(expected)).toEqual(expected);
        expect(await response.text(), query).toBe(JSON.stringify(expected));
      }
      const msft = (await (await fetch(`${url}/data/MSFT/1h?limit=3`)).json()) as { simulated: boolean };
      expect(msft.simulated).toBe(false);
      // HEAD was never a data API route, and still is not.
      expect((await fetch(`${url}/data/AAPL/1h?limit=3`, { method: 'HEAD' })).status).toBe(404);
    });

    it('leaves errors to the data API as before: 400 for bad input, 404 for a series never stored', async () => {
      const { url } = await startApi(mode);
      const missing = await fetch(`${url}/data/AAPL/1h?limit=5`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ success: false, error: { code: 'not_found' } });
      for (const bad of ['AAPL/1h?limit=0', 'AAPL/1h?limit=x', 'AAPL/7h?limit=5', 'AAPL/1h?start=never']) {
        const response = await fetch(`${url}/data/${bad}`);
        expect(response.status, bad).toBe(400);
        expect(await response.json()).toMatchObject({ success: false, error: { code: 'validation' } });
      }
    });

    it('shows bars another process wrote at the very next request', async () => {
      const { url, dataDir } = await startApi(mode);
      const minute = Date.UTC(2024, 2, 1);
      const merge = (first: number, count: number, tag: number) =>
        new Promise<void>((resolve, reject) => {
          const chunks = JSON.stringify({ chunks: [[first, count, tag]] });
          const child = spawn(process.execPath, ['--import', 'tsx', WRITER, 'merge', dataDir, chunks], {
            cwd: REPO_ROOT,
            stdio: 'ignore',
          });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
        });
      const last = async (suffix = '') => {
        const body = (await (await fetch(`${url}/data/AAPL/1m?limit=2${suffix}`)).json()) as {
          data: { date: string; close: number }[];
        };
        return body.data.at(-1);
      };
      await merge(0, 30, 1);
      expect(await last()).toEqual(expect.objectContaining({ close: 101 }));
      expect(await last()).toEqual(expect.objectContaining({ close: 101 })); // cached now
      await merge(30, 5, 4);
      expect(await last()).toEqual({
        date: new Date(minute + 34 * 60_000).toISOString().replace('.000', ''),
        open: 104,
        high: 104,
        low: 104,
        close: 104,
        volume: 34,
      });
      const csv = await (await fetch(`${url}/data/AAPL/1m?limit=1&format=csv`)).text();
      expect(csv.trim().split('\n').at(-1)).toBe('2024-03-01T00:34:00Z,104.0,104.0,104.0,104.0,34.0');
    });
  },
);
