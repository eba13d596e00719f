import {
  CancelledError,
  DataUnavailableError,
  type KtrdrConfig,
  UnknownSymbolError,
  loadConfig,
} from '@ktrdr/core';
import { type IbSimulator, type IbSimulatorOptions, startIbSimulator } from '@ktrdr/ib-sim';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncDataAdapter } from '../../src/adapter/async-data-adapter';
import { type Bar } from '../../src/domain/bars';
import { BarFrame } from '../../src/domain/bar-frame';
import type { InstrumentType } from '../../src/domain/symbols';
import type {
  BarsRequest,
  HistoricalDataSource,
  SourceBars,
  SourceHealth,
} from '../../src/host-service/historical-data-source';
import { type IbDataSourceOptions, createIbDataSource } from '../../src/host-service/ib-data-source';
import type { ContractInfo } from '../../src/host-service/ib-host-contract';
import { IbConnectionRegistry } from '../../src/ib/connection-registry';

/** The simulated market's clock: a Friday after the close. */
export const SIM_NOW = new Date('2024-06-28T21:00:00Z');

/** Compression of IB's pacing windows, shared by the simulator and the client's scheduler. */
export const TIME_SCALE = 100;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Symbol of the fixture series, served both by the simulator and by {@link FixtureSource}. */
export const FIXTURE_SYMBOL = 'FIXT';

/**
 * Hourly bars 14:00-19:00 UTC (inside US regular hours under daylight saving time) on the
 * weekdays 2024-03-18 to 2024-03-28: no holiday, no DST change.
 */
export const FIXTURE_BARS: readonly Bar[] = (() => {
  const bars: Bar[] = [];
  for (let day = Date.UTC(2024, 2, 18); day <= Date.UTC(2024, 2, 28); day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let hour = 14; hour < 20; hour++) {
      const i = bars.length;
      const open = 100 + i * 0.25;
      bars.push({
        time: day + hour * HOUR_MS,
        open,
        high: open + 1.5,
        low: open - 1,
        close: open + 0.5,
        volume: 1_000 + 10 * i,
      });
    }
  }
  return bars;
})();

/** The fixture bars with `start <= time < end`. */
export function fixtureBarsIn(start: string, end: string): Bar[] {
  const from = Date.parse(start);
  const to = Date.parse(end);
  return FIXTURE_BARS.filter((bar) => bar.time >= from && bar.time < to);
}

/**
 * A small in-memory data source: the fixture bars for {@link FIXTURE_SYMBOL}, labelled simulated
 * (they are synthetic), with IB's semantics: unknown symbols are `UnknownSymbolError`, a range
 * wholly outside the data is `DataUnavailableError`, and a stalled fetch ends when its signal aborts.
 */
export class FixtureSource implements HistoricalDataSource {
  readonly name = 'fixture';
  fetches = 0;
  closed = false;
  /** Instrument types the source was asked to look symbols up as, in call order. */
  readonly lookups: (InstrumentType | undefined)[] = [];
  private stall: { started: () => void; aborted: () => void } | undefined;

  async fetchBars(request: BarsRequest): Promise<SourceBars> {
    this.fetches++;
    this.assertKnown(request.symbol);
    const stall = this.stall;
    if (stall !== undefined) {
      this.stall = undefined;
      stall.started();
      await new Promise<never>((_, reject) => {
        const onAbort = () => {
          stall.aborted();
          reject(new CancelledError('fixture fetch aborted'));
        };
        if (request.signal?.aborted) onAbort();
        else request.signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    const rows = FIXTURE_BARS.filter((bar) => bar.time >= request.start && bar.time < request.end);
    const first = (FIXTURE_BARS[0] as Bar).time;
    const last = (FIXTURE_BARS.at(-1) as Bar).time;
    if (rows.length === 0 && (request.end <= first || request.start > last)) {
      throw new DataUnavailableError(`fixture has no ${request.symbol} bars in the range`);
    }
    return { frame: BarFrame.fromRows(rows), simulated: true };
  }

  async getContractInfo(
    symbol: string,
    options: { instrumentType?: InstrumentType } = {},
  ): Promise<ContractInfo> {
    this.lookups.push(options.instrumentType);
    this.assertKnown(symbol);
    return {
      symbol,
      asset_type: options.instrumentType ?? 'STK',
      exchange: 'SMART',
      currency: 'USD',
      description: 'Fixture series',
      simulated: true,
    };
  }

  async getHeadTimestamp(symbol: string): Promise<number | undefined> {
    this.assertKnown(symbol);
    return FIXTURE_BARS[0]?.time;
  }

  async health(): Promise<SourceHealth> {
    return { connected: !this.closed, connection_count: 1, simulated: true };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The next fetch waits until its signal aborts; resolves the returned promises as it goes. */
  stallNext(): { started: Promise<void>; aborted: Promise<void> } {
    let started!: () => void;
    let aborted!: () => void;
    const result = {
      started: new Promise<void>((resolve) => (started = resolve)),
      aborted: new Promise<void>((resolve) => (aborted = resolve)),
    };
    this.stall = { started, aborted };
    return result;
  }

  private assertKnown(symbol: string): void {
    if (symbol !== FIXTURE_SYMBOL) {
      throw new UnknownSymbolError(`fixture knows no symbol '${symbol}'`, { details: { symbol } });
    }
  }
}

/** Things to close after each test, closed in reverse order of registration. */
export class Closer {
  private readonly closers: (() => unknown)[] = [];

  add<T>(value: T, close: (value: T) => unknown): T {
    this.closers.push(() => close(value));
    return value;
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}

/** Starts a simulator (seeded, market clock {@link SIM_NOW}) that `closer` stops. */
export async function simulator(closer: Closer, options: IbSimulatorOptions = {}): Promise<IbSimulator> {
  const sim = await startIbSimulator({
    port: 0,
    seed: 7,
    now: () => SIM_NOW,
    timeScale: TIME_SCALE,
    ...options,
  });
  return closer.add(sim, (s) => s.close());
}

/** A fresh temporary folder that `closer` removes. */
export async function tempDir(closer: Closer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ktrdr-chain-'));
  return closer.add(dir, (d) => rm(d, { recursive: true, force: true }));
}

/** The configuration a user would have: IB at the simulator, the data folder given, no environment. */
export function configFor(
  sim: IbSimulator,
  dataDir: string,
  pacing: KtrdrConfig['ib']['pacing'] = 'practical',
): KtrdrConfig {
  // The product's default; tests that count the strict policy's one-day segments pass `strict`.
  return loadConfig({ ib: { host: sim.host, port: sim.port, pacing }, dataDir }, {});
}

/**
 * The direct-IB source over the simulator, on its own connection registry (closed by `closer`), with
 * the client's pacing windows compressed like the simulator's so tests never wait real IB time.
 */
export function ibSource(
  closer: Closer,
  gateway: { host: string; port: number },
  options: IbDataSourceOptions = {},
): HistoricalDataSource {
  const registry = closer.add(new IbConnectionRegistry(), (r) => r.closeAll());
  const source = createIbDataSource({
    host: gateway.host,
    port: gateway.port,
    clientId: 7,
    registry,
    idleCloseMs: false,
    requestTimeoutMs: 10_000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    ...options,
    pacing: { timeScale: TIME_SCALE, ...options.pacing },
  });
  return closer.add(source, (s) => s.close());
}

/** An adapter on the direct-IB transport over {@link ibSource}, closed by `closer`. */
export function ibAdapter(
  closer: Closer,
  gateway: { host: string; port: number },
  options: IbDataSourceOptions = {},
): AsyncDataAdapter {
  const source = ibSource(closer, gateway, options);
  return closer.add(new AsyncDataAdapter({ kind: 'in-process', source, transportKind: 'ib' }), (adapter) =>
    adapter.close(),
  );
}

/** The entries of a folder, recursively; `undefined` when it does not exist. */
export async function listFolder(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir, { recursive: true })).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Resolves once `condition` holds (polling), or rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Bars of a frame as plain rows, for deep equality. */
export function rowsOf(frame: BarFrame): Bar[] {
  return frame.toRows().map((bar) => ({ ...bar }));
}
