/**
 * Load six months of hourly AAPL bars into the local store and look at them.
 * Run: npx tsx examples/scripts/01-load-data.ts
 */
import { DataService } from '@ktrdr/data';
import { connectExampleIb } from './support/embedded-ib';

const ib = await connectExampleIb();
const data = new DataService({ config: ib.config });
try {
  const end = new Date();
  const start = new Date(end.getTime() - 182 * 24 * 3600 * 1000);
  const load = await data.loadData({ symbol: 'AAPL', timeframe: '1h', mode: 'full', start, end });
  for await (const progress of load) {
    process.stdout.write(
      `\r${progress.percentage.toFixed(0).padStart(3)}% ${progress.current_step ?? ''}      `,
    );
  }
  const result = await load.result();
  const label = result.simulated ? 'SIMULATED' : 'real';
  console.log(`\nLoaded ${result.frame.length} ${label} bars of AAPL 1h into ${result.path}`);
  console.log(`Fetched ${result.fetchedBars} bars in ${result.segments.total} segments`);

  // The bars are an arquero table for exploration...
  const table = result.frame.toTable();
  table.slice(-5).print();
  // ...and typed columns for numeric work.
  const { close } = result.frame.columns();
  const mean = close.reduce((sum, value) => sum + value, 0) / close.length;
  console.log(`Mean close over the period: ${mean.toFixed(2)} (${label})`);
} finally {
  await data.close();
  await ib.close();
}
