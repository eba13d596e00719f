/**
 * Common US large caps and ETFs, added to the default universe so that symbol search and everyday
 * requests (META, AMC, NVDA, QQQ ...) find what a real gateway finds. Kept apart from the core
 * universe so other additions (more forex pairs) merge without conflict. conIds are IB's where they
 * are well known, synthetic otherwise; prices are only anchors of the synthetic walk (2024-01-02).
 */
import type { InstrumentInput } from './instrument';

const stock = (
  symbol: string,
  longName: string,
  basePrice: number,
  extra: Partial<InstrumentInput> = {},
): InstrumentInput => ({
  symbol,
  longName,
  basePrice,
  primaryExchange: 'NASDAQ',
  headDate: '2000-01-03',
  annualDrift: 0.1,
  annualVolatility: 0.32,
  averageDailyVolume: 20_000_000,
  ...extra,
});

/** US large caps and ETFs beyond the core universe (AAPL, MSFT, GOOGL, SPY). */
export const US_LARGE_CAPS_AND_ETFS: readonly InstrumentInput[] = [
  stock('META', 'META PLATFORMS INC-CLASS A', 346, { conId: 107113386, headDate: '2012-05-18' }),
  stock('AMZN', 'AMAZON.COM INC', 149, { conId: 3691937, headDate: '1997-05-15' }),
  stock('NVDA', 'NVIDIA CORP', 48, { conId: 4815747, headDate: '1999-01-22', annualVolatility: 0.5 }),
  stock('TSLA', 'TESLA INC', 248, { conId: 76792991, headDate: '2010-06-29', annualVolatility: 0.55 }),
  stock('NFLX', 'NETFLIX INC', 486, { headDate: '2002-05-23' }),
  stock('AMD', 'ADVANCED MICRO DEVICES', 144, { annualVolatility: 0.5 }),
  stock('INTC', 'INTEL CORP', 50),
  stock('JPM', 'JPMORGAN CHASE & CO', 170, { primaryExchange: 'NYSE', annualVolatility: 0.22 }),
  stock('XOM', 'EXXON MOBIL CORP', 100, { primaryExchange: 'NYSE', annualVolatility: 0.25 }),
  stock('KO', 'COCA-COLA CO/THE', 59, { primaryExchange: 'NYSE', annualVolatility: 0.15 }),
  stock('AMC', 'AMC ENTERTAINMENT HLDS-CL A', 6, {
    primaryExchange: 'NYSE',
    headDate: '2013-12-18',
    annualDrift: -0.3,
    annualVolatility: 0.9,
  }),
  stock('QQQ', 'INVESCO QQQ TRUST SERIES 1', 409, {
    conId: 320227571,
    headDate: '1999-03-10',
    stockType: 'ETF',
    annualVolatility: 0.2,
  }),
  stock('IWM', 'ISHARES RUSSELL 2000 ETF', 199, {
    primaryExchange: 'ARCA',
    stockType: 'ETF',
    annualVolatility: 0.22,
  }),
  stock('DIA', 'SPDR DOW JONES INDUSTRIAL AVERAGE ETF', 375, {
    primaryExchange: 'ARCA',
    stockType: 'ETF',
    annualVolatility: 0.15,
  }),
  stock('GLD', 'SPDR GOLD SHARES', 190, {
    primaryExchange: 'ARCA',
    stockType: 'ETF',
    annualVolatility: 0.14,
  }),
  stock('TLT', 'ISHARES 20+ YEAR TREASURY BOND ETF', 98, {
    primaryExchange: 'NASDAQ',
    stockType: 'ETF',
    annualVolatility: 0.17,
  }),
];
