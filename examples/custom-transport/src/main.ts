/**
 * Plug a data source of your own into AsyncDataAdapter's in-process transport and use the whole
 * data chain on it: gap analysis, segments, the CSV store, operations.
 * Run: npx tsx examples/custom-transport/src/main.ts
 */
import { loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, DataService } from '@ktrdr/data';
import { createVendorSource } from './vendor-source';

const adapter = new AsyncDataAdapter({ kind: 'in-process', source: createVendorSource() });
const data = new DataService({ config: loadConfig(), adapter });
try {
  const end = new Date();
  const start = new Date(end.getTime() - 90 * 24 * 3600 * 1000);
  const result = await (
    await data.loadData({ symbol: 'ACME', timeframe: '1d', mode: 'full', start, end })
  ).result();
  console.log(`Loaded ${result.frame.length} daily bars of ACME from the vendor into ${result.path}`);
  console.log(`(${result.simulated ? 'SIMULATED: synthetic vendor data' : 'real data'})`);
  result.frame.toTable().slice(-3).print();
  console.log('health:', await data.healthCheck());
  console.log('calls through the adapter:', adapter.stats().calls);
} finally {
  await data.close();
}
