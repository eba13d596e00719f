/**
 * The set of symbols the simulator knows, with a default universe of liquid US stocks, the major
 * forex pairs and the E-mini S&P 500 future: every symbol the repository's strategies/ name. Real IB conIds are used where they are well known so that
 * code written against IB sees familiar contracts.
 */
import type { FixtureBar } from './csv-fixtures';
import type { Instrument, InstrumentInput } from './instrument';
import { createInstrument } from './instrument';
import { US_LARGE_CAPS_AND_ETFS } from './universe-us-equities';

/** The symbols every simulator starts with unless `defaultUniverse: false` is passed. */
export const DEFAULT_UNIVERSE: readonly InstrumentInput[] = [
  {
    symbol: 'AAPL',
    conId: 265598,
    longName: 'APPLE INC',
    primaryExchange: 'NASDAQ',
    headDate: '1980-12-12',
    basePrice: 185,
    annualDrift: 0.12,
    annualVolatility: 0.26,
    averageDailyVolume: 55_000_000,
    industry: 'Technology',
    category: 'Computers',
    subcategory: 'Computers',
    isin: 'US0378331005',
  },
  {
    symbol: 'MSFT',
    conId: 272093,
    longName: 'MICROSOFT CORP',
    primaryExchange: 'NASDAQ',
    headDate: '1986-03-13',
    basePrice: 375,
    annualDrift: 0.12,
    annualVolatility: 0.24,
    averageDailyVolume: 22_000_000,
    industry: 'Technology',
    category: 'Software',
    subcategory: 'Applications Software',
    isin: 'US5949181045',
  },
  {
    symbol: 'GOOGL',
    conId: 208813719,
    longName: 'ALPHABET INC-CL A',
    primaryExchange: 'NASDAQ',
    headDate: '2004-08-19',
    basePrice: 140,
    annualDrift: 0.12,
    annualVolatility: 0.28,
    averageDailyVolume: 30_000_000,
    industry: 'Communications',
    category: 'Internet',
    subcategory: 'Web Portals/ISP',
    isin: 'US02079K3059',
  },
  {
    symbol: 'SPY',
    conId: 756733,
    longName: 'SPDR S&P 500 ETF TRUST',
    primaryExchange: 'ARCA',
    headDate: '1993-01-29',
    basePrice: 472,
    annualDrift: 0.08,
    annualVolatility: 0.16,
    averageDailyVolume: 75_000_000,
    stockType: 'ETF',
    isin: 'US78462F1030',
  },
  {
    symbol: 'EUR.USD',
    secType: 'CASH',
    conId: 12087792,
    longName: 'European Monetary Union Euro',
    headDate: '2005-01-03',
    basePrice: 1.1,
    annualVolatility: 0.07,
  },
  {
    symbol: 'GBP.USD',
    secType: 'CASH',
    conId: 12087797,
    longName: 'British pound',
    headDate: '2005-01-03',
    basePrice: 1.27,
    annualVolatility: 0.08,
  },
  {
    symbol: 'USD.JPY',
    secType: 'CASH',
    conId: 15016059,
    longName: 'US dollar',
    headDate: '2005-01-03',
    basePrice: 145,
    annualVolatility: 0.09,
    minTick: 0.005,
  },
  {
    symbol: 'USD.CHF',
    secType: 'CASH',
    conId: 12087820,
    longName: 'US dollar',
    headDate: '2005-01-03',
    basePrice: 0.88,
    annualVolatility: 0.07,
  },
  {
    symbol: 'AUD.USD',
    secType: 'CASH',
    conId: 14433401,
    longName: 'Australian dollar',
    headDate: '2005-01-03',
    basePrice: 0.66,
    annualVolatility: 0.1,
  },
  {
    symbol: 'USD.CAD',
    secType: 'CASH',
    conId: 15016062,
    longName: 'US dollar',
    headDate: '2005-01-03',
    basePrice: 1.35,
    annualVolatility: 0.06,
  },
  {
    symbol: 'NZD.USD',
    secType: 'CASH',
    conId: 39453441,
    longName: 'New Zealand dollar',
    headDate: '2005-01-03',
    basePrice: 0.61,
    annualVolatility: 0.1,
  },
  {
    symbol: 'ES',
    secType: 'FUT',
    conId: 11004968,
    underConId: 11004968,
    longName: 'E-mini S&P 500',
    headDate: '1997-09-09',
    basePrice: 4750,
    annualDrift: 0.08,
    annualVolatility: 0.17,
    averageDailyVolume: 1_500_000,
  },
  ...US_LARGE_CAPS_AND_ETFS,
];

/** A mutable set of instruments keyed by symbol. */
export class Universe {
  private readonly entries = new Map<string, { input: InstrumentInput; instrument: Instrument }>();

  constructor(inputs: Iterable<InstrumentInput> = []) {
    for (const input of inputs) this.add(input);
  }

  /** Adds a symbol, or replaces the one with the same symbol. Returns the built instrument. */
  add(input: InstrumentInput): Instrument {
    const instrument = createInstrument(input);
    this.entries.set(instrument.symbol, { input, instrument });
    return instrument;
  }

  /**
   * Serves fixed bars for a symbol instead of synthetic ones. An unknown symbol is added as a US
   * stock first (pass `secType` to add it as something else).
   */
  loadBars(symbol: string, bars: readonly FixtureBar[], secType?: InstrumentInput['secType']): Instrument {
    const existing = this.entries.get(symbol.trim().toUpperCase());
    const input = existing?.input ?? { symbol, ...(secType ? { secType } : {}) };
    return this.add({ ...input, bars });
  }

  /** The instrument for a simulator symbol (`AAPL`, `EUR.USD`, `ES`), case-insensitive. */
  get(symbol: string): Instrument | undefined {
    return this.entries.get(symbol.trim().toUpperCase())?.instrument;
  }

  /** All instruments, in insertion order. */
  list(): Instrument[] {
    return [...this.entries.values()].map((entry) => entry.instrument);
  }
}
