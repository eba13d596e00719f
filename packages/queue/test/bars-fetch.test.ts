import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceServer, loadConfig, serveService } from '@ktrdr/core';
import { BarFrame, CsvStore, DataService, createDataApiService } from '@ktrdr/data';
import { createBarsFetch } from '@ktrdr/queue';

const HOUR = 3_600_000;
const FIRST = Date.UTC(2023, 0, 2, 14);

/** `count` hourly bars from `FIRST + offset` hours, prices from the bar's index (checkable). */
function hourly(count: number, offset = 0): BarFrame {
  return BarFrame.fromRows(
    Array.from({ length: count }, (_, i) => {
      const price = 100 + offset + i;
      return {
        time: FIRST + (offset + i) * HOUR,
        open: price,
        high: price + 1,
        low: price - 1,
        close: price,
        volume: 10,
      };
    }),
  );
}

const iso = (hours: number) => new Date(FIRST + hours * HOUR).toISOString();

let dir: string;
let api: DataService;
let server: ServiceServer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ktrdr-bars-fetch-'));
  api = new DataService({ config: loadConfig({ dataDir: path.join(dir, 'api') }, {}) });
  await api.store.save('AAPL', '1h', hourly(600), { simulated: true });
  server = await serveService(createDataApiService(api));
});
afterAll(async () => {
  await server?.close();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The worker's copy of AAPL 1h, as times. */
async function workerTimes(dataDir: string): Promise<number[]> {
  const loaded = await new CsvStore({ dataDir }).load('AAPL', '1h', { simulated: true });
  return loaded.frame.toRows().map((bar) => bar.time);
}

describe("a worker's --fetch-bars copies only what its store lacks", () => {
  it('fetches the training range, nothing again, then only the missing ends, never leaving a hole', async () => {
    const dataDir = path.join(dir, 'worker');
    const fetchBars = createBarsFetch({ apiUrl: server.url, dataDir });
    const signal = new AbortController().signal;
    const training = { strategy_name: 'neuro-fuzzy-sample', symbol: 'AAPL', timeframe: '1h' };

    // Bars 100 to 199 of the API's 600: that range only (the end excluded, as the training reads it).
    const ranged = { ...training, start_date: iso(100), end_date: iso(200) };
    expect(await fetchBars(ranged, signal)).toEqual([{ series: 'AAPL 1h', bars: 100 }]);
    expect(await workerTimes(dataDir)).toEqual(
      hourly(100, 100)
        .toRows()
        .map((bar) => bar.time),
    );

    // The same range again: nothing but the one-bar probe comes back.
    expect(await fetchBars(ranged, signal)).toEqual([{ series: 'AAPL 1h', bars: 0 }]);

    // A later range: from the copy's last bar on (the gap included), so the copy stays unbroken.
    const later = await fetchBars({ ...training, start_date: iso(300), end_date: iso(350) }, signal);
    expect(later).toEqual([{ series: 'AAPL 1h', bars: 150 }]);
    expect(await workerTimes(dataDir)).toEqual(
      hourly(250, 100)
        .toRows()
        .map((bar) => bar.time),
    );

    // The API gains bars; a training of everything gets the missing head and tail only.
    await api.store.mergeAndSave('AAPL', '1h', hourly(10, 600), { simulated: true });
    const all = await fetchBars(training, signal);
    // The 100 bars before the copy and the 260 after it, none of the copy's again.
    expect(all).toEqual([{ series: 'AAPL 1h', bars: 100 + 260 }]);
    expect(await workerTimes(dataDir)).toEqual(
      hourly(610)
        .toRows()
        .map((bar) => bar.time),
    );
    const copy = await new CsvStore({ dataDir }).load('AAPL', '1h', { simulated: true });
    expect(copy.frame.toRows().at(-1)?.close).toBe(709);
  });

  it('skips a series the API does not have (the training then names it)', async () => {
    const fetchBars = createBarsFetch({ apiUrl: server.url, dataDir: path.join(dir, 'other') });
    const none = await fetchBars({ symbol: 'NOPE', timeframe: '1h' }, new AbortController().signal);
    expect(none).toEqual([]);
  });
});
