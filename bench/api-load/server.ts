/**
 * The server side of the api-load benchmark, in its own process as in production: `startServer`
 * with the API over a pre-filled store in `BENCH_DATA_DIR`. The data source only answers health
 * (the benchmark reads stored bars and never fetches). Over IPC it reports its URL, then its memory
 * after a full GC whenever asked.
 */
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, BarFrame, DataService, type HistoricalDataSource } from '@ktrdr/data';
import { installShutdownHandlers, startServer } from '@ktrdr/server';

const healthOnly: HistoricalDataSource = {
  name: 'bench',
  fetchBars: async () => ({ frame: BarFrame.empty(), simulated: true }),
  getContractInfo: async () => {
    throw new Error('not used by the benchmark');
  },
  getHeadTimestamp: async () => undefined,
  health: async () => ({ connected: true, connection_count: 1, simulated: true }),
  close: async () => undefined,
};

const dataDir = process.env['BENCH_DATA_DIR'] as string;
const data = new DataService({
  config: loadConfig({ dataDir, modelsDir: dataDir }, {}),
  adapter: new AsyncDataAdapter({ kind: 'in-process', source: healthOnly }),
  operations: new OperationRegistry(),
});
const server = await startServer({ kind: 'api', host: '127.0.0.1', port: 0, data, env: {} });
installShutdownHandlers(server, { log: () => undefined });

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: { type: string }) => {
  if (message.type !== 'memory') return;
  gc?.();
  process.send?.({ type: 'memory', usage: process.memoryUsage(), gc: gc !== undefined });
});
process.send?.({ type: 'ready', url: server.url });
