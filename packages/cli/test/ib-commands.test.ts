import type { IbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { runKtrdr } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

let simulator: IbSimulator;
let env: Record<string, string>;

beforeAll(async () => {
  ({ simulator, env } = await startSimulator());
});
afterAll(async () => {
  await simulator.close();
});

describe('ib', () => {
  it('status: connected over direct TCP, labelled SIMULATED', async () => {
    const run = await runKtrdr(['ib', 'status'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^IB connection {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(/^ {2}connected +yes$/m);
    expect(run.stdout).toMatch(/^ {2}path +direct IB \(TCP\)$/m);
    expect(run.stdout).toContain(`${simulator.host}:${simulator.port}`);
    const json = JSON.parse((await runKtrdr(['ib', 'status', '-f', 'json'], { env })).stdout) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      healthy: true,
      simulated: true,
      target: `${simulator.host}:${simulator.port}`,
    });
  });

  it('status: nothing listening is exit 4 with what to start', async () => {
    const closed = await startSimulator();
    await closed.simulator.close();
    const run = await runKtrdr(['ib', 'status'], { env: closed.env });
    expect(run.code).toBe(EXIT_CODES.unavailable);
    expect(run.stdout).toMatch(/^ {2}connected +no$/m);
    expect(run.stdout).toMatch(/^ {2}source +-$/m);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `ktrdr: no IB Gateway/TWS answers at ${closed.env['IB_HOST']}:${closed.env['IB_PORT']}; start it (or a simulator: ktrdr sim --port ${closed.env['IB_PORT']}), or set IB_HOST/IB_PORT.`,
    ]);
  });

  it('validate: a known symbol with its contract and head timestamp', async () => {
    const run = await runKtrdr(['ib', 'validate', 'msft', '-t', '1h', '-f', 'json'], { env });
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({
      symbol: 'MSFT',
      is_valid: true,
      simulated: true,
      contract_info: { asset_type: 'STK', currency: 'USD' },
    });
    expect((body['head_timestamps'] as Record<string, string>)['1h']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('validate: an unknown symbol is answered, and exits 3', async () => {
    const run = await runKtrdr(['ib', 'validate', 'ZZZZ'], { env });
    expect(run.code).toBe(EXIT_CODES.notFound);
    expect(run.stdout).toMatch(/^ {2}known to IB +no$/m);
    expect(run.stdout).toMatch(/^ {2}error +IB has no instrument 'ZZZZ'/m);
  });

  it('search: finds symbols by symbol or name, labelled SIMULATED; nothing found is exit 3', async () => {
    const run = await runKtrdr(['ib', 'search', 'meta'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^IB symbols matching 'meta' {2}\[SIMULATED\]$/m);
    expect(run.stdout).toMatch(
      /^META +STK +NASDAQ +USD +META PLATFORMS INC-CLASS A +CFD,OPT,IOPT,WAR,BAG +107113386$/m,
    );
    const json = JSON.parse((await runKtrdr(['ib', 'search', 'AMC', '-f', 'json'], { env })).stdout) as {
      matches: { symbol: string; sec_type: string }[];
      simulated: boolean;
    };
    expect(json.simulated).toBe(true);
    expect(json.matches[0]).toMatchObject({ symbol: 'AMC', sec_type: 'STK', primary_exchange: 'NYSE' });
    const none = await runKtrdr(['ib', 'search', 'QQQQQQ'], { env });
    expect(none.code).toBe(EXIT_CODES.notFound);
    expect(none.stdout).toContain("IB knows no symbol or name matching 'QQQQQQ'.");
  });

  it('head-timestamp: the earliest bar', async () => {
    const run = await runKtrdr(['ib', 'head-timestamp', 'AAPL', '-t', '1d', '-f', 'json'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      symbol: 'AAPL',
      timeframe: '1d',
      simulated: true,
      timestamp: expect.stringMatching(/^\d{4}-/),
    });
  });

  it('rejects a bad timeframe before connecting', async () => {
    const run = await runKtrdr(['ib', 'head-timestamp', 'AAPL', '-t', 'hourly'], { env: { IB_PORT: '9' } });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/^ktrdr: Unknown timeframe 'hourly'/);
  });
});
