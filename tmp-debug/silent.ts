import { startIbSimulator } from '@ktrdr/ib-sim';
import { loadConfig } from '@ktrdr/core';
import { DataService } from '../packages/data/src/service/data-service';
import { AsyncDataAdapter } from '../packages/data/src/adapter/async-data-adapter';
import { createIbDataSource } from '../packages/data/src/host-service/ib-data-source';
import { IbConnectionRegistry } from '../packages/data/src/ib/connection-registry';
const sim = await startIbSimulator({ port: 0, seed: 7, now: () => new Date('2024-06-28T21:00:00Z'), timeScale: 100,
  faults: { script: [{ match: { kind: 'historical-data' }, action: { type: 'never-answer' }, skip: 2 }] } });
const config = loadConfig({ ib: { host: sim.host, port: sim.port }, dataDir: '/tmp/a-repro/silent' }, {});
const source = createIbDataSource({ host: sim.host, port: sim.port, clientId: 52, registry: new IbConnectionRegistry(), idleCloseMs: false, requestTimeoutMs: 300,
  reconnect: { initialDelayMs: 50, maxDelayMs: 200 }, pacing: { timeScale: 100 },
  logger: { info: (m) => console.log(Date.now() % 100000, 'info', m), warn: (m) => console.log(Date.now() % 100000, 'warn', m), debug: (m) => console.log(Date.now() % 100000, 'debug', m) } } as never);
const adapter = new AsyncDataAdapter({ kind: 'in-process', source, transportKind: 'ib' });
const data = new DataService({ config, adapter, manager: { retryBaseMs: 20, maxConcurrentSegments: 1 } });
const h = data.loadData({ symbol: 'AAPL', timeframe: '1h', start: '2024-01-02', end: '2024-06-01' });
h.on('progress', (p) => console.log(Date.now() % 100000, JSON.stringify(p)));
const t = setTimeout(() => { console.log('TIMEOUT', sim.messages.map((m) => m.name).join(',')); process.exit(1); }, 15000);
console.log(await h.result().catch((e) => e));
clearTimeout(t);
await data.close(); await sim.close();
