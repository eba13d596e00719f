/**
 * A data source of your own: here a stand-in for a market-data vendor that serves daily bars from
 * memory. Anything implementing `HistoricalDataSource` can feed ktrdr's whole data chain (manager,
 * store, API, CLI) through the adapter's in-process transport.
 */
import { UnknownSymbolError } from '@ktrdr/core';
import {
  BarFrame,
  type BarsRequest,
  type ContractInfo,
  type HistoricalDataSource,
  type SourceBars,
} from '@ktrdr/data';

const DAY = 24 * 3600 * 1000;

/** Deterministic synthetic daily bars, one series per symbol. */
function vendorSeries(symbol: string, days: number, end: number): BarFrame {
  const time = new Float64Array(days);
  const open = new Float64Array(days);
  const high = new Float64Array(days);
  const low = new Float64Array(days);
  const close = new Float64Array(days);
  const volume = new Float64Array(days);
  let seed = [...symbol].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  let price = 100;
  // Trading days only, counted back from `end`: the vendor publishes no weekend bars.
  const tradingDays: number[] = [];
  for (let day = Math.floor(end / DAY) * DAY; tradingDays.length < days; day -= DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) tradingDays.unshift(day);
  }
  for (let i = 0; i < days; i++) {
    const change = (random() - 0.5) * 0.04;
    time[i] = tradingDays[i] as number;
    open[i] = price;
    price *= 1 + change;
    close[i] = price;
    high[i] = Math.max(open[i] as number, price) * (1 + random() * 0.01);
    low[i] = Math.min(open[i] as number, price) * (1 - random() * 0.01);
    volume[i] = Math.round(1e6 * (0.5 + random()));
  }
  return BarFrame.fromColumns({ time, open, high, low, close, volume });
}

/** The vendor's catalogue. */
const CATALOGUE = ['ACME', 'GLOBEX'];

export function createVendorSource(now = Date.now()): HistoricalDataSource {
  const known = (symbol: string) => {
    if (!CATALOGUE.includes(symbol)) {
      throw new UnknownSymbolError(`The vendor has no symbol ${symbol} (it has ${CATALOGUE.join(', ')})`, {
        details: { symbol },
      });
    }
  };
  return {
    name: 'example-vendor',
    async fetchBars(request: BarsRequest): Promise<SourceBars> {
      known(request.symbol);
      // The vendor's data is synthetic, so it is labelled simulated and stored apart from real data.
      return {
        frame: vendorSeries(request.symbol, 2000, now).slice(request.start, request.end),
        simulated: true,
      };
    },
    async getContractInfo(symbol): Promise<ContractInfo> {
      known(symbol);
      return {
        symbol,
        asset_type: 'STK',
        exchange: 'VENDOR',
        currency: 'USD',
        description: `${symbol} from the example vendor`,
        simulated: true,
      };
    },
    async getHeadTimestamp(symbol) {
      known(symbol);
      return vendorSeries(symbol, 2000, now).firstTime;
    },
    async health() {
      return { connected: true, connection_count: 1, simulated: true };
    },
    async close() {},
  };
}
