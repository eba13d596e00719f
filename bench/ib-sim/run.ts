/**
 * ib-sim serving cost.
 * 1. Simulator CPU time to generate and encode one year of 1-minute AAPL bars (RTH and extended
 *    hours), cold (fresh seed, nothing cached) and warm (same request again).
 * 2. Wall time for the unmodified @stoqey/ib client to receive 1-minute bars over loopback TCP for
 *    growing durations: the client's decoder is quadratic in the size of one HISTORICAL_DATA message
 *    (it Array.shift()s every token off one queue), which is why large ranges must be chunked.
 *
 * Run: npx tsx bench/ib-sim/run.ts
 */
import { EventName, IBApi, SecType } from '@stoqey/ib';
import type { BarSizeSetting, WhatToShow } from '@stoqey/ib';
import { startIbSimulator } from '@ktrdr/ib-sim';
import { SimulatorContext } from '../../packages/ib-sim/src/server/context';
import { resolveOptions } from '../../packages/ib-sim/src/options';
import {
  planHistoricalRequest,
  produceHistoricalReply,
} from '../../packages/ib-sim/src/server/historical-data';
import type { HistoricalDataRequest } from '../../packages/ib-sim/src/protocol/decoder';

const RUNS = 5;
const CLIENT_RUNS = 3;
const NOW = new Date('2024-01-02T00:00:00Z');
const END = '20231229 20:00:00 US/Eastern';

function request(useRth: boolean, reqId = 1): HistoricalDataRequest {
  return {
    kind: 'historical-data',
    reqId,
    contract: {
      conId: 0,
      symbol: 'AAPL',
      secType: 'STK',
      lastTradeDateOrContractMonth: '',
      strike: 0,
      right: '',
      multiplier: '',
      exchange: 'SMART',
      primaryExch: '',
      currency: 'USD',
      localSymbol: '',
      tradingClass: '',
      includeExpired: false,
    },
    endDateTime: END,
    barSize: '1 min',
    duration: '1 Y',
    useRth,
    whatToShow: 'TRADES',
    // Epoch-second dates keep a year of extended-hours minutes under the client's 16 MiB frame limit.
    formatDate: 2,
    keepUpToDate: false,
  };
}

/** CPU milliseconds (user + system) of `fn`. */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function endToEnd(duration: string, seed: number): Promise<{ ms: number; bars: number }> {
  const sim = await startIbSimulator({ pacing: 'off', now: () => NOW, seed });
  const ib = new IBApi({ host: sim.host, port: sim.port });
  try {
    await new Promise<void>((resolve) => {
      ib.once(EventName.nextValidId, () => resolve());
      ib.connect(1);
    });
    let bars = 0;
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      ib.on(EventName.historicalData, (_id: number, time: string) => {
        if (time.startsWith('finished')) resolve();
        else bars += 1;
      });
      ib.on(EventName.error, (error: Error, code: number) => {
        if (code < 2100 || code >= 3000) reject(error);
      });
      const contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
      ib.reqHistoricalData(
        1,
        contract,
        END,
        duration,
        '1 min' as BarSizeSetting,
        'TRADES' as WhatToShow,
        1,
        1,
        false,
      );
    });
    return { ms: performance.now() - started, bars };
  } finally {
    ib.disconnect();
    await sim.close();
  }
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const useRth of [true, false]) {
    const cold: number[] = [];
    const warm: number[] = [];
    let bars = 0;
    let bytes = 0;
    for (let run = 0; run < RUNS; run += 1) {
      // A new seed per run defeats every cache for the cold measurement.
      const ctx = new SimulatorContext(resolveOptions({ pacing: 'off', now: () => NOW, seed: 1000 + run }));
      const planned = planHistoricalRequest(ctx, request(useRth), NOW.getTime() / 1000);
      if (!planned.ok) throw new Error(planned.message);
      cold.push(
        cpuMs(() => {
          const result = produceHistoricalReply(ctx, planned.plan, NOW.getTime() / 1000);
          if (!result.ok) throw new Error(result.message);
          bytes = result.frame.length;
          bars = result.barCount;
        }),
      );
      warm.push(cpuMs(() => void produceHistoricalReply(ctx, planned.plan, NOW.getTime() / 1000)));
    }
    const label = useRth ? 'RTH (useRTH=1)' : 'extended (useRTH=0)';
    rows.push(
      `| ${label} | ${bars} | ${(bytes / 1e6).toFixed(1)} MB | ${median(cold).toFixed(0)} | ${median(warm).toFixed(0)} | ${(median(cold) / median(warm)).toFixed(1)}x |`,
    );
  }
  console.log(`Simulator CPU, AAPL 1 Y of 1-minute bars, ${RUNS} runs, medians (Node ${process.version})`);
  console.log('| session | bars | reply | CPU cold (ms) | CPU warm (ms) | cold/warm |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);

  const clientRows: string[] = [];
  let base: { bars: number; ms: number } | undefined;
  for (const duration of ['1 W', '1 M', '2 M']) {
    const times: number[] = [];
    let bars = 0;
    for (let run = 0; run < CLIENT_RUNS; run += 1) {
      const result = await endToEnd(duration, 3000 + run);
      times.push(result.ms);
      bars = result.bars;
    }
    const ms = median(times);
    base ??= { bars, ms };
    clientRows.push(
      `| ${duration} | ${bars} | ${ms.toFixed(0)} | ${(bars / base.bars).toFixed(1)}x | ${(ms / base.ms).toFixed(1)}x |`,
    );
  }
  console.log('');
  console.log(`@stoqey/ib client receiving 1-minute RTH bars over loopback, ${CLIENT_RUNS} runs, medians`);
  console.log('| duration | bars | wall (ms) | bars vs 1 W | time vs 1 W |');
  console.log('|---|---|---|---|---|');
  for (const row of clientRows) console.log(row);
}

void main();
