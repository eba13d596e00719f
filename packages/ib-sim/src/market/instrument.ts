/**
 * What the simulator knows about a tradable symbol: the contract fields it reports, its session
 * rules, and the parameters of its synthetic price process (or the fixture bars that replace it).
 */
import { daysFromCivil } from './civil-date';
import type { FixtureBar } from './csv-fixtures';
import type { FixtureSeries } from './fixture-series';
import { createFixtureSeries } from './fixture-series';
import { hashString } from './random';
import type { SessionKind } from './sessions';
import { SESSION_TIME_ZONES } from './sessions';

/** Security types the simulator serves. */
export type SimSecType = 'STK' | 'CASH' | 'FUT';

/** Parameters of the synthetic price and volume process. */
export interface PriceModel {
  /** Price level on the reference date 2024-01-02 (the series is anchored there). */
  readonly basePrice: number;
  /** Expected log-return per year (e.g. 0.08). */
  readonly annualDrift: number;
  /** Typical annualised volatility (e.g. 0.25); the realised one drifts between regimes. */
  readonly annualVolatility: number;
  /** Typical volume per session, in shares or contracts. */
  readonly averageDailyVolume: number;
  /** Typical trade size, which turns volume into a trade count. */
  readonly averageTradeSize: number;
  /** Bid-ask spread in ticks, used for MIDPOINT / BID / ASK bars. */
  readonly spreadTicks: number;
}

/** A symbol as the simulator serves it. Built by {@link createInstrument}. */
export interface Instrument {
  /** The simulator's key: `AAPL`, `EUR.USD`, `ES`. Fault rules match on it. */
  readonly symbol: string;
  readonly secType: SimSecType;
  /** IB's contract `symbol` field (`EUR` for EUR.USD). */
  readonly ibSymbol: string;
  readonly currency: string;
  readonly exchange: string;
  readonly primaryExchange: string;
  readonly localSymbol: string;
  readonly tradingClass: string;
  readonly marketName: string;
  readonly conId: number;
  readonly longName: string;
  readonly minTick: number;
  readonly multiplier: number | undefined;
  readonly sessionKind: SessionKind;
  /** IANA zone of the session rules; intraday bar times are printed in it. */
  readonly timeZone: string;
  /** Zone name reported in contract details, as IB does (`US/Eastern`). */
  readonly timeZoneId: string;
  /** First trading date with data (day number): the head timestamp's day. */
  readonly headDay: number;
  readonly price: PriceModel;
  readonly industry: string;
  readonly category: string;
  readonly subcategory: string;
  readonly stockType: string;
  readonly secIds: readonly { readonly tag: string; readonly value: string }[];
  readonly validExchanges: string;
  readonly orderTypes: string;
  readonly marketRuleIds: string;
  readonly underConId: number;
  readonly underSymbol: string;
  readonly underSecType: string;
  /** Bars loaded from a fixture; when present they replace the synthetic series entirely. */
  readonly fixture: FixtureSeries | undefined;
}

/**
 * Description of a symbol to add to the universe. Only `symbol` is required; everything else has a
 * sensible default for the security type (US stock on SMART, IDEALPRO forex, CME future).
 */
export interface InstrumentInput {
  /** `NVDA`; forex as `USD.JPY`; futures by root (`NQ`). */
  readonly symbol: string;
  /** Default `STK`. */
  readonly secType?: SimSecType;
  readonly conId?: number;
  readonly longName?: string;
  readonly currency?: string;
  readonly exchange?: string;
  readonly primaryExchange?: string;
  readonly minTick?: number;
  readonly multiplier?: number;
  /** First day with data, `YYYY-MM-DD`. */
  readonly headDate?: string;
  readonly basePrice?: number;
  readonly annualDrift?: number;
  readonly annualVolatility?: number;
  readonly averageDailyVolume?: number;
  readonly averageTradeSize?: number;
  readonly spreadTicks?: number;
  readonly industry?: string;
  readonly category?: string;
  readonly subcategory?: string;
  readonly stockType?: string;
  readonly isin?: string;
  readonly underConId?: number;
  /**
   * Fixture bars replacing the synthetic series (see `parseBarsCsv`). The head timestamp then is the
   * first fixture bar, and bar sizes finer than the fixture's spacing return no data.
   */
  readonly bars?: readonly FixtureBar[];
}

const STOCK_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AON,AVGCOST,BASKET,BENCHPX,CASHQTY,COND,CONDORDER,DARKONLY,DARKPOLL,DAY,DEACT,DEACTDIS,DEACTEOD,DIS,DUR,GAT,GTC,GTD,GTT,HID,IBKRATS,ICE,IMB,IOC,LIT,LMT,LOC,MIDPX,MIT,MKT,MOC,MTL,NGCOMB,NODARK,NONALGO,OCA,OPG,OPGREROUT,PEGBENCH,PEGMID,POSTATS,POSTONLY,PREOPGRTH,PRICECHK,REL,REL2MID,RELPCTOFS,RPI,RTH,SCALE,SCALEODD,SCALERST,SIZECHK,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,SWEEP,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const STOCK_EXCHANGES =
  'SMART,AMEX,NYSE,CBOE,PHLX,ISE,CHX,ARCA,NASDAQ,DRCTEDGE,BEX,BATS,EDGEA,BYX,IEX,EDGX,FOXRIVER,PEARL,NYSENAT,LTSE,MEMX,IBEOS,OVERNIGHT,TPLUS0,PSX';
const FOREX_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,CASHQTY,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,RELPCTOFS,SCALE,SCALERST,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const FUTURE_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,BENCHPX,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,ICE,IOC,LIT,LMT,LTH,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,PEGBENCH,SCALE,SCALERST,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';

/** Parses `YYYY-MM-DD` into a day number. */
export function parseIsoDay(text: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new TypeError(`${field} must be a date like 2004-01-02, got "${text}"`);
  return daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Deterministic pseudo conId for symbols without a real one, inside IB's positive 32-bit range. */
export function syntheticConId(key: string): number {
  return 100_000_000 + (hashString(key) % 900_000_000);
}

function assertPositive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${field} must be a positive number, got ${value}`);
  return value;
}

/** Builds a complete {@link Instrument} from a partial description, filling per-type defaults. */
export function createInstrument(input: InstrumentInput): Instrument {
  const secType = input.secType ?? 'STK';
  const symbol = input.symbol.trim().toUpperCase();
  if (symbol === '') throw new TypeError('Instrument symbol must not be empty');
  const isForex = secType === 'CASH';
  const isFuture = secType === 'FUT';
  const [base, quote] = isForex ? symbol.split('.') : [symbol, undefined];
  if (isForex && (!base || !quote)) {
    throw new TypeError(`Forex symbols are written BASE.QUOTE (e.g. EUR.USD), got "${input.symbol}"`);
  }
  const ibSymbol = base ?? symbol;
  const sessionKind: SessionKind = isForex ? 'forex' : isFuture ? 'cme-futures' : 'us-equity';
  const minTick = assertPositive(input.minTick ?? (isForex ? 0.00005 : isFuture ? 0.25 : 0.01), 'minTick');
  const defaultHead = isForex ? '2005-01-03' : isFuture ? '1997-09-09' : '2000-01-03';
  return {
    symbol,
    secType,
    ibSymbol,
    currency: input.currency ?? quote ?? 'USD',
    exchange: input.exchange ?? (isForex ? 'IDEALPRO' : isFuture ? 'CME' : 'SMART'),
    primaryExchange: input.primaryExchange ?? (isForex || isFuture ? '' : 'NASDAQ'),
    localSymbol: symbol,
    tradingClass: isForex
      ? symbol
      : isFuture
        ? symbol
        : (input.primaryExchange ?? 'NASDAQ') === 'NASDAQ'
          ? 'NMS'
          : symbol,
    marketName: isForex ? symbol : isFuture ? symbol : 'NMS',
    conId: input.conId ?? syntheticConId(`${secType}:${symbol}`),
    longName: input.longName ?? (isForex ? `${ibSymbol} ${quote ?? ''}`.trim() : `${symbol} (SIMULATED)`),
    minTick,
    multiplier: input.multiplier ?? (isFuture ? 50 : undefined),
    sessionKind,
    timeZone: SESSION_TIME_ZONES[sessionKind],
    timeZoneId: isFuture ? 'US/Central' : 'US/Eastern',
    headDay: parseIsoDay(input.headDate ?? defaultHead, 'headDate'),
    price: {
      basePrice: assertPositive(input.basePrice ?? (isForex ? 1.1 : isFuture ? 4750 : 100), 'basePrice'),
      annualDrift: input.annualDrift ?? (isForex ? 0 : 0.07),
      annualVolatility: assertPositive(
        input.annualVolatility ?? (isForex ? 0.07 : isFuture ? 0.17 : 0.3),
        'annualVolatility',
      ),
      averageDailyVolume: input.averageDailyVolume ?? (isForex ? 0 : isFuture ? 1_500_000 : 5_000_000),
      averageTradeSize: assertPositive(input.averageTradeSize ?? (isFuture ? 3 : 100), 'averageTradeSize'),
      spreadTicks: Math.max(1, Math.round(input.spreadTicks ?? (isForex ? 2 : 1))),
    },
    industry: input.industry ?? '',
    category: input.category ?? '',
    subcategory: input.subcategory ?? '',
    stockType: input.stockType ?? (secType === 'STK' ? 'COMMON' : ''),
    secIds: input.isin ? [{ tag: 'ISIN', value: input.isin }] : [],
    validExchanges: isForex ? 'IDEALPRO' : isFuture ? (input.exchange ?? 'CME') : STOCK_EXCHANGES,
    orderTypes: isForex ? FOREX_ORDER_TYPES : isFuture ? FUTURE_ORDER_TYPES : STOCK_ORDER_TYPES,
    marketRuleIds: isForex
      ? '239'
      : isFuture
        ? '67'
        : '26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26',
    underConId: input.underConId ?? 0,
    underSymbol: isFuture ? symbol : '',
    underSecType: isFuture ? 'IND' : '',
    fixture: input.bars ? createFixtureSeries(input.bars) : undefined,
  };
}
