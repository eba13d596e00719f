import { createServer, type AddressInfo } from 'node:net';
import { createHttpTransport, createServiceClient, loadConfig, operationsContract } from '@ktrdr/core';
import { dataApiContract } from '@ktrdr/data';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { type RunningServer, startServer } from '@ktrdr/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { Collector, daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

let simulator: IbSimulator;
let server: RunningServer;
let data: Awaited<ReturnType<typeof tempDir>>;
let loadedId: string;

beforeAll(async () => {
  // Latency makes loads last long enough to interrupt and follow.
  ({ simulator } = await startSimulator({ latencyMs: 150 }));
  data = await tempDir();
  const config = loadConfig({ ib: { host: simulator.host, port: simulator.port }, dataDir: data.path }, {});
  server = await startServer({ kind: 'api', port: 0, config, env: {} });
});
afterAll(async () => {
  await server.close();
  await simulator.close();
  await data.remove();
});

describe('--url: the same commands over one HTTP client to a running API', () => {
  it('loads through the API with streamed progress', async () => {
    const run = await runKtrdr([
      'data',
      'load',
      'AAPL',
      '-t',
      '1h',
      '--start',
      daysAgo(12),
      '-f',
      'json',
      '--url',
      server.url,
    ]);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout) as { operation_id: string; status: string; simulated: boolean };
    expect(info).toMatchObject({ status: 'completed', simulated: true });
    expect(run.stderr).toMatch(/^AAPL 1h tail: \d+% \[fetch\]/m);
    expect(run.stderr).toMatch(/100% \[done\]/);
    loadedId = info.operation_id;
  });

  it('shows the bars the server stored, from its bare origin too (/api/v1 is added)', async () => {
    const run = await runKtrdr([
      'data',
      'show',
      'AAPL',
      '-t',
      '1h',
      '-r',
      '2',
      '-f',
      'json',
      '--url',
      server.origin,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ symbol: 'AAPL', simulated: true, rows: 2 });
  });

  it('goes remote when KTRDR_API_URL is set, and lists the server’s operations', async () => {
    const run = await runKtrdr(['operations', 'list'], { env: { KTRDR_API_URL: server.url } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^${loadedId} +data_load +AAPL 1h tail +completed +100% .*SIMULATED$`, 'm'),
    );
    const json = JSON.parse(
      (await runKtrdr(['operations', 'list', '-f', 'json', '--status', 'completed', '--url', server.url]))
        .stdout,
    ) as unknown[];
    expect(json).toEqual(expect.arrayContaining([expect.objectContaining({ operation_id: loadedId })]));
  });

  it('pages the list with --limit and --offset, saying how many there are', async () => {
    const all = JSON.parse(
      (await runKtrdr(['operations', 'list', '-f', 'json', '--url', server.url])).stdout,
    ) as { operation_id: string }[];
    expect(all.length).toBeGreaterThanOrEqual(1);
    const first = await runKtrdr(['operations', 'list', '--limit', '1', '-f', 'json', '--url', server.url]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual([all[0]]);
    const past = await runKtrdr([
      'operations',
      'list',
      '--limit',
      '1',
      '--offset',
      String(all.length),
      '--url',
      server.url,
    ]);
    expect(past.stdout).toContain('No operations.');
    expect(past.stderr).toContain(`Operations none of ${all.length}.`);
    const bad = await runKtrdr(['operations', 'list', '--offset', 'two', '--url', server.url]);
    expect(bad.code).toBe(EXIT_CODES.usage);
  });

  it('shows, follows and cancels one operation', async () => {
    const status = await runKtrdr(['operations', 'status', loadedId, '--url', server.url]);
    expect(status.stdout).toMatch(new RegExp(`^Operation ${loadedId} {2}\\[SIMULATED\\]$`, 'm'));
    expect(status.stdout).toMatch(/^ {2}status +completed$/m);
    const follow = await runKtrdr(['operations', 'follow', loadedId, '-f', 'json', '--url', server.url]);
    expect(follow.code).toBe(0);
    expect(JSON.parse(follow.stdout)).toMatchObject({ operation_id: loadedId, status: 'completed' });
    // Cancelling a finished operation changes nothing.
    const cancel = await runKtrdr(['operations', 'cancel', loadedId, '-f', 'json', '--url', server.url]);
    expect(JSON.parse(cancel.stdout)).toMatchObject({ status: 'completed' });
  });

  it('an unknown operation is not found (exit 3)', async () => {
    const run = await runKtrdr([
      'operations',
      'status',
      'op_data_load_20240101_000000_00000000',
      '--url',
      server.url,
    ]);
    expect(run.code).toBe(EXIT_CODES.notFound);
    expect(run.stderr).toMatch(/^ktrdr: .*op_data_load_20240101_000000_00000000/);
  });

  it('Ctrl+C during a remote load cancels it on the server and exits 130', async () => {
    const interrupt = new AbortController();
    const stderr = new Collector();
    const running = runKtrdr(
      ['data', 'load', 'MSFT', '-t', '1h', '--start', daysAgo(300), '-f', 'json', '--url', server.url],
      {
        interrupt: interrupt.signal,
        stderr,
      },
    );
    await stderr.waitFor(/\[fetch\]/);
    interrupt.abort();
    const run = await running;
    expect(run.code).toBe(EXIT_CODES.interrupted);
    const info = JSON.parse(run.stdout) as { operation_id: string };
    const check = await runKtrdr([
      'operations',
      'status',
      info.operation_id,
      '-f',
      'json',
      '--url',
      server.url,
    ]);
    expect(JSON.parse(check.stdout)).toMatchObject({ status: 'cancelled' });
  });

  it('Ctrl+C while following only stops following: the operation goes on', async () => {
    const transport = createHttpTransport({ baseUrl: server.url, serviceName: 'test' });
    const started = await createServiceClient(dataApiContract, transport).load({
      symbol: 'SPY',
      timeframe: '1h',
      mode: 'tail',
      start_date: daysAgo(300),
      end_date: null,
    });
    const interrupt = new AbortController();
    const stderr = new Collector();
    const following = runKtrdr(['operations', 'follow', started.operation_id, '--url', server.url], {
      interrupt: interrupt.signal,
      stderr,
    });
    await stderr.waitFor(/\[fetch\]/);
    interrupt.abort();
    const run = await following;
    expect(run.code).toBe(EXIT_CODES.interrupted);
    expect(run.stderr).toContain(`Stopped following ${started.operation_id}; it keeps running`);
    const operations = createServiceClient(operationsContract, transport);
    expect((await operations.get({ operation_id: started.operation_id })).data.status).toBe('running');
    await operations.cancel({ operation_id: started.operation_id });
    await transport.close();
  });

  it('an API that is not there is exit 4 with what to check', async () => {
    // A port that was free a moment ago: nothing listens there, so the connection is refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const run = await runKtrdr(['data', 'symbols', '--url', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(EXIT_CODES.unavailable);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `ktrdr: ktrdr API is not reachable at http://127.0.0.1:${port}/api/v1 (ECONNREFUSED). Is it running? Start it, or check --url.`,
    ]);
  });
});

describe('operations in-process', () => {
  it('explains that an embedded run sees only its own operations', async () => {
    const list = await runKtrdr(['operations', 'list', '--data-dir', data.path]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('No operations.');
    expect(list.stderr).toMatch(/pass --url/);
    const status = await runKtrdr([
      'operations',
      'status',
      'op_data_load_20240101_000000_00000000',
      '--data-dir',
      data.path,
    ]);
    expect(status.code).toBe(EXIT_CODES.notFound);
    expect(status.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(status.stderr).toMatch(/pass --url to reach a server/);
  });

  it('rejects a malformed operation id as bad input', async () => {
    const run = await runKtrdr(['operations', 'status', 'not-an-id']);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/^ktrdr: .*not an operation id/);
  });
});
