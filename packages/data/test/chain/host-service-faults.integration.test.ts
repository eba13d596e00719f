/**
 * The data path through the IB host service over real HTTP (a real server on 127.0.0.1:0, the
 * simulator over real TCP): a host that is down or hung, pacing waits longer than the client's
 * deadline, identical concurrent requests, and how many IB requests one failing segment costs.
 */
import {
  type KtrdrConfig,
  ServiceConnectionError,
  ServiceTimeoutError,
  loadConfig,
  serveService,
} from '@ktrdr/core';
import { type IbSimulator, IbErrorText, type SimRequestInfo } from '@ktrdr/ib-sim';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncDataAdapter } from '../../src/adapter/async-data-adapter';
import { createIbHostService } from '../../src/host-service/create-ib-host-service';
import type { IbDataSourceOptions } from '../../src/host-service/ib-data-source';
import { partialLoadOf } from '../../src/manager/load-outcome';
import { DataService, type LoadRequest } from '../../src/service/data-service';
import { Closer, ibSource, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

/** The IB host service over the simulator, served on 127.0.0.1:0; returns its URL. */
async function hostService(sim: IbSimulator, options: IbDataSourceOptions = {}): Promise<string> {
  const source = ibSource(closer, { host: sim.host, port: sim.port }, options);
  const server = await serveService(createIbHostService(source));
  closer.add(server, (s) => s.close());
  return server.url;
}

/** A user's configuration with `USE_IB_HOST_SERVICE=true` and the given call deadline. */
async function hostConfig(url: string, deadlineMs: number): Promise<KtrdrConfig> {
  const dataDir = join(await tempDir(closer), 'data');
  return loadConfig(
    // Strict: these cases count the strict policy's one-day segments and the hard rules' waits.
    {
      ib: { useHostService: true, hostServiceUrl: url, hostServiceTimeoutMs: deadlineMs, pacing: 'strict' },
      dataDir,
    },
    {},
  );
}

/** A data service built from the configuration, as the CLI and the API build theirs, unless given an adapter. */
function dataService(config: KtrdrConfig, adapter?: AsyncDataAdapter): DataService {
  return closer.add(new DataService({ config, adapter, manager: { retryBaseMs: 20 } }), (s) => s.close());
}

function historicalRequests(sim: IbSimulator): number {
  return sim.messages.filter((m) => m.name === 'REQ_HISTORICAL_DATA').length;
}

/** A port that refuses connections (bound, then closed). */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A host that accepts connections and reads requests, and never answers. */
async function hungUrl(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closer.add(
    server,
    (s) =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        s.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const WEEK: LoadRequest = { symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-09' };
/** Three one-day segments of 1-minute bars. */
const THREE_DAYS: LoadRequest = { symbol: 'AAPL', timeframe: '1m', start: '2024-03-04', end: '2024-03-07' };

describe('data loads through the IB host service', () => {
  it('fails fast with a ServiceConnectionError naming the URL and what to do when the host is down', async () => {
    const url = await refusedUrl();
    const data = dataService(await hostConfig(url, 20_000));
    const started = Date.now();
    const error = await data
      .loadData(WEEK)
      .then((load) => load.result())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceConnectionError);
    const message = (error as ServiceConnectionError).message;
    expect(message).toContain(url);
    expect(message).toContain('Is it running?');
    expect(message).toContain('IB_HOST_SERVICE_URL');
    // Retries of a refused connection stay well inside the deadline.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails a hung host within the configured deadline, naming the setting, not after 3 x 30 s', async () => {
    const data = dataService(await hostConfig(await hungUrl(), 600));
    const started = Date.now();
    const error = await data
      .loadData(WEEK)
      .then((load) => load.result())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect((error as ServiceTimeoutError).message).toContain('600 ms deadline');
    expect((error as ServiceTimeoutError).message).toContain('IB_HOST_SERVICE_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('waits out IB pacing longer than the deadline with no failed segment and one IB request per segment', async () => {
    // The host's scheduler allows 10 requests per 10-minute window (IB's rule is 60; a stricter
    // client never violates it), which lasts 3 s here. 1-minute bars are one day per request, so of
    // 15 segments the last 5 wait about 3 s in the host's pacing queue: twice the client's deadline,
    // whatever the speed of the machine.
    const scale = 200;
    const sim = await simulator(closer, { pacing: 'strict', timeScale: scale });
    const url = await hostService(sim, {
      clientId: 51,
      pacing: { timeScale: scale, limits: { globalMaxWeight: 10 } },
    });
    // Attempt timeout and deadline both 1.5 s: before the fix, each wait past it was a failed attempt.
    const adapter = new AsyncDataAdapter({ kind: 'http', url, timeoutMs: 1_500, deadlineMs: 1_500 });
    const data = dataService(await hostConfig(url, 1_500), adapter);
    const result = await data
      .loadData({ symbol: 'AAPL', timeframe: '1m', mode: 'full', start: '2024-03-04', end: '2024-03-23' })
      .then((load) => load.result());

    expect(result.segments.total).toBe(15);
    expect(result.segments).toMatchObject({ completed: 15, failed: 0 });
    expect(result.failedSegments).toEqual([]);
    expect(sim.stats.pacingViolations).toBe(0);
    expect(historicalRequests(sim)).toBe(result.segments.total);
    // No call ran into its deadline (before the fix each wait past it was a timed-out attempt), and
    // the host really did say "still waiting" (counted as rate_limited answers by the client).
    expect(adapter.stats().retries).toBe(0);
    expect(adapter.stats().errorsByCode.timeout).toBeUndefined();
    expect(adapter.stats().errorsByCode.rate_limited ?? 0).toBeGreaterThan(0);
    expect(result.frame.length).toBe(result.fetchedBars);
  });

  it('coalesces identical concurrent requests into one IB request, every caller getting the bars', async () => {
    const sim = await simulator(closer, { latencyMs: 400 });
    const url = await hostService(sim, { clientId: 52 });
    const adapters = [0, 1, 2].map(() =>
      closer.add(new AsyncDataAdapter({ kind: 'http', url, deadlineMs: 5_000 }), (a) => a.close()),
    );
    const range = { start: '2024-03-04', end: '2024-03-09', instrumentType: 'STK' as const };
    const answers = await Promise.all(adapters.map((a) => a.fetchHistoricalData('AAPL', '1h', range)));

    expect(historicalRequests(sim)).toBe(1);
    expect(answers[0]?.frame.length).toBe(35);
    for (const answer of answers) expect(answer.frame.toRows()).toEqual(answers[0]?.frame.toRows());
  });

  it.each([
    {
      what: 'IB never answers (each request times out on the host): the segment fetcher retries it, 3 attempts',
      code: 'timeout',
      ib: { requestTimeoutMs: 300 },
      attempts: 3,
    },
    {
      what: 'IB reports pacing violations: the IB client retries them with growing pauses, 4 attempts, nobody above',
      code: 'rate_limited',
      ib: {},
      attempts: 4,
    },
  ])('one failing segment costs one layer of retries: $what', async ({ code, ib, attempts }) => {
    const sim = await simulator(closer);
    // The first historical request picks the failing segment: every request for it fails.
    let failing: string | undefined;
    let failingSent = 0;
    sim.addScriptedFault({
      match: (request: SimRequestInfo) => {
        if (request.kind !== 'historical-data') return false;
        const hit = (failing ??= request.endDateTime) === request.endDateTime;
        if (hit) failingSent++;
        return hit;
      },
      action:
        code === 'timeout'
          ? { type: 'never-answer' }
          : { type: 'error', code: 162, message: IbErrorText.pacingViolation },
    });
    const url = await hostService(sim, { clientId: 53, ...ib });
    const data = dataService(await hostConfig(url, 4_000));
    const outcome = await data
      .loadData(THREE_DAYS)
      .then((load) => load.result())
      .then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({ result: partialLoadOf(error), error }),
      );

    if (code === 'timeout') {
      // A segment that times out on every attempt means the gateway is silent: the load stops
      // loudly, with what it kept and the one range it is missing.
      expect(outcome.error).toBeInstanceOf(ServiceConnectionError);
      expect(outcome.result?.missingRanges).toHaveLength(1);
    } else {
      // Any other failure fails just its segment; the load completes and reports it.
      expect(outcome.error).toBeUndefined();
      expect(outcome.result?.segments.total).toBeGreaterThan(1);
      expect(outcome.result?.segments.failed).toBe(1);
      expect(outcome.result?.failedSegments[0]?.code).toBe(code);
    }
    // The failing segment went exactly as often as its one retrying layer says.
    expect(failingSent).toBe(attempts);
  });

  it('reports the gateway down on /health: healthy false, status degraded, gateway down, answered at once', async () => {
    const sim = await simulator(closer);
    const url = await hostService(sim, { clientId: 54, healthTimeoutMs: 500 });
    const adapter = closer.add(new AsyncDataAdapter({ kind: 'http', url, deadlineMs: 5_000 }), (a) =>
      a.close(),
    );
    expect(await adapter.healthCheck()).toMatchObject({ healthy: true, status: 'ok', gateway: 'up' });

    await sim.close();
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ healthy: false, status: 'degraded', gateway: 'down' });
    expect(await adapter.healthCheck()).toMatchObject({
      healthy: false,
      status: 'degraded',
      gateway: 'down',
    });
  });
});
