import { UnknownSymbolError } from '@ktrdr/core';
import {
  BarFrame,
  type BarsRequest,
  type HistoricalDataSource,
  type SourceBars,
  TIMEFRAME_SPECS,
} from '@ktrdr/data';

/** What a fake source saw, for assertions. */
export interface FakeSourceLog {
  fetches: BarsRequest[];
  /** Requests whose signal aborted while the source was working on them. */
  aborted: BarsRequest[];
  closed: number;
}

/** Options of {@link createFakeSource}. */
export interface FakeSourceOptions {
  /** Never answer `fetchBars`: wait until the request's signal aborts (a wedged gateway). */
  hang?: boolean;
  /** Symbols it knows (default AAPL and MSFT). */
  symbols?: string[];
  /** Make health checks fail or hang. */
  health?: 'ok' | 'fail' | 'hang';
}

const DAY = 86_400_000;

/**
 * A deterministic in-memory `HistoricalDataSource`: weekday bars on the timeframe's grid between
 * 14:00 and 21:00 UTC, labelled simulated (a fake must never pass for real data).
 */
export function createFakeSource(
  options: FakeSourceOptions = {},
): HistoricalDataSource & { log: FakeSourceLog } {
  const symbols = new Set(options.symbols ?? ['AAPL', 'MSFT']);
  const log: FakeSourceLog = { fetches: [], aborted: [], closed: 0 };
  const known = (symbol: string) => {
    if (!symbols.has(symbol)) {
      throw new UnknownSymbolError(`No security definition for ${symbol}`, { details: { symbol } });
    }
  };
  return {
    name: 'fake',
    log,
    async fetchBars(request): Promise<SourceBars> {
      log.fetches.push(request);
      known(request.symbol);
      if (options.hang === true) {
        await new Promise<never>((_, reject) => {
          const abort = () => {
            log.aborted.push(request);
            reject(request.signal?.reason ?? new Error('aborted'));
          };
          if (request.signal?.aborted) abort();
          request.signal?.addEventListener('abort', abort, { once: true });
        });
      }
      const step = TIMEFRAME_SPECS[request.timeframe].ms;
      const rows = [];
      for (let t = Math.ceil(request.start / step) * step; t < request.end; t += step) {
        const weekday = new Date(t).getUTCDay();
        const hour = (t % DAY) / 3_600_000;
        if (weekday === 0 || weekday === 6 || hour < 14 || hour >= 21) continue;
        const base = 100 + ((t / step) % 50);
        rows.push({ time: t, open: base, high: base + 1, low: base - 1, close: base + 0.5, volume: 1000 });
      }
      return { frame: BarFrame.fromRows(rows), simulated: true };
    },
    async getContractInfo(symbol) {
      known(symbol);
      return {
        symbol,
        asset_type: 'STK' as const,
        exchange: 'SMART',
        currency: 'USD',
        description: `${symbol} (fake)`,
        simulated: true,
      };
    },
    async getHeadTimestamp(symbol) {
      known(symbol);
      return Date.UTC(2000, 0, 3);
    },
    async health() {
      if (options.health === 'fail') throw new Error('gateway unreachable');
      if (options.health === 'hang') await new Promise(() => undefined);
      return { connected: true, connection_count: 1, simulated: true };
    },
    async close() {
      log.closed++;
    },
  };
}
