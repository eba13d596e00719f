/**
 * A user's script, run as its own process by the fault suite: it loads bars through the SDK and
 * awaits the result with top-level await. Whatever happens to the gateway, the await must settle,
 * so the process ends with an error (exit 1) or a result (exit 0), never with Node's 13
 * ("unsettled top-level await"). Configured by the environment (`IB_PORT`, `KTRDR_DATA_DIR`).
 */
import { loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';

const data = new DataService({ config: loadConfig() });
const load = await data.loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-01-02', end: '2024-06-01' });
load.on('progress', (progress) => {
  if ((progress.steps_completed ?? 0) > 0) console.error(`segments done: ${progress.steps_completed}`);
});
try {
  const result = await load.result();
  console.log(`loaded ${result.frame.length} bars`);
} finally {
  await data.close();
}
