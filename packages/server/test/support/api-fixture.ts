import express from 'express';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, BarFrame, CsvStore, DataService, type HistoricalDataSource } from '@ktrdr/data';
import { type ApiRouterOptions, createApiRouter } from '../../src/index';
import { createFakeSource } from './fake-source';
import type { Resources } from './harness';

/** Weekday hourly bars from 2024-01-01 (UTC), `count` of them. */
export function hourlyBars(count: number, from = Date.UTC(2024, 0, 1, 14)): BarFrame {
  const rows = [];
  for (let i = 0; i < count; i++) {
    const base = 100 + i / 10;
    rows.push({
      time: from + i * 3_600_000,
      open: base,
      high: base + 1.25,
      low: base - 1,
      close: base + 0.5,
      volume: 100 + i,
    });
  }
  return BarFrame.fromRows(rows);
}

/**
 * A DataService over a fake source in-process, its store in a temp folder. With `trustVersions`
 * the store trusts file versions at once (as for files written long ago), so that only the version
 * check decides what memory serves.
 */
export async function fakeDataService(resources: Resources, options: { trustVersions?: boolean } = {}) {
  const dataDir = await resources.tempDir();
  const hotCache = options.trustVersions === true ? { now: () => Date.now() + 60_000 } : undefined;
  const data = resources.add(
    new DataService({
      config: loadConfig({ dataDir }, {}),
      adapter: new AsyncDataAdapter({ kind: 'in-process', source: createFakeSource() }),
      operations: new OperationRegistry(),
      store: new CsvStore({ dataDir, hotCache }),
    }),
    (d) => d.close(),
  );
  return { data, dataDir };
}

/**
 * A DataService over a fake source in-process, with its store in a temp folder, and the API router
 * mounted at /api/v1 of a fresh app on an ephemeral port.
 */
export async function startApi(
  resources: Resources,
  options: { source?: HistoricalDataSource; router?: Partial<ApiRouterOptions> } = {},
) {
  const dataDir = await resources.tempDir();
  const source = options.source ?? createFakeSource();
  const operations = new OperationRegistry();
  const data = resources.add(
    new DataService({
      // An empty environment: nothing from the machine running the tests leaks in.
      config: loadConfig({ dataDir }, {}),
      adapter: new AsyncDataAdapter({ kind: 'in-process', source }),
      operations,
      manager: { retryBaseMs: 1 },
    }),
    (d) => d.close(),
  );
  const app = express();
  app.use('/api/v1', createApiRouter({ data, operations, ...options.router }));
  const { url } = await resources.listen(app);
  return { url: `${url}/api/v1`, origin: url, data, operations, source, dataDir };
}
