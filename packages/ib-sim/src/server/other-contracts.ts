/**
 * Contract details beyond stocks, forex and futures: option chains on the universe's stocks
 * (expiries and strikes generated around the synthetic price), crypto pairs on PAXOS, and one
 * simulated US Treasury bond. Details only: historical data for them is not simulated.
 */
import { formatYmd, weekdayOf } from '../market/civil-date';
import type { Instrument } from '../market/instrument';
import { syntheticConId } from '../market/instrument';
import { isNyseTradingDay } from '../market/calendar';
import { tradingHoursText } from '../market/trading-hours';
import type { Universe } from '../market/universe';
import type { WireContract } from '../protocol/decoder';
import type { ContractDetailsFields } from '../protocol/encoder';
import type { BondDetailsFields } from '../protocol/encoder-extra';

/** A crypto pair as IB lists it (Paxos-cleared, quoted in USD). */
export interface CryptoPair {
  readonly symbol: string;
  readonly conId: number;
  readonly exchange: string;
  readonly currency: string;
  readonly longName: string;
  readonly minTick: number;
}

/** Crypto pairs the simulator describes. BTC carries IB's conId for BTC on PAXOS. */
export const CRYPTO_PAIRS: readonly CryptoPair[] = [
  { symbol: 'BTC', conId: 479624278, exchange: 'PAXOS', currency: 'USD', longName: 'Bitcoin', minTick: 0.25 },
  {
    symbol: 'ETH',
    conId: syntheticConId('CRYPTO:ETH'),
    exchange: 'PAXOS',
    currency: 'USD',
    longName: 'Ethereum',
    minTick: 0.05,
  },
];

/** The simulated bond: a US Treasury note, labelled simulated in its long name. */
export const SIMULATED_BOND = {
  symbol: 'US-T',
  cusip: '91282CJJ1',
  isin: 'US91282CJJ18',
  coupon: 4.5,
  maturity: '20331115',
  issueDate: '20231115',
  conId: syntheticConId('BOND:91282CJJ1'),
  longName: 'United States Treasury Note 4.5 11/15/33 (SIMULATED)',
} as const;

const OPTION_EXCHANGES =
  'SMART,AMEX,CBOE,PHLX,PSE,ISE,BOX,BATS,NASDAQOM,CBOE2,NASDAQBX,MIAX,GEMINI,EDGX,MERCURY,PEARL,EMERALD,MEMX,IBUSOPT';
const SIMPLE_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';

/** Strikes listed on each side of the money. */
const STRIKES_EACH_SIDE = 10;
/** Weekly expiries listed ahead, besides the monthly ones. */
const WEEKLY_EXPIRIES = 4;
/** Monthly (third-Friday) expiries listed ahead. */
const MONTHLY_EXPIRIES = 3;

/** Strike spacing for an underlying price, as US equity options are listed. */
export function strikeStep(price: number): number {
  if (price < 25) return 0.5;
  if (price < 100) return 1;
  if (price < 250) return 2.5;
  return 5;
}

/** Expiry dates (day numbers) from `today`: the next Fridays, then third Fridays; a holiday moves it to Thursday. */
export function optionExpiries(today: number): number[] {
  const fridays: number[] = [];
  let day = today + ((5 - weekdayOf(today) + 7) % 7);
  if (day === today) day += 7;
  for (let week = 0; week < 16; week += 1) fridays.push(day + 7 * week);
  const thirdFridays = fridays.filter((friday) => {
    const date = Number(formatYmd(friday).slice(6, 8));
    return date >= 15 && date <= 21;
  });
  const chosen = new Set([...fridays.slice(0, WEEKLY_EXPIRIES), ...thirdFridays.slice(0, MONTHLY_EXPIRIES)]);
  return [...chosen].sort((a, b) => a - b).map((friday) => (isNyseTradingDay(friday) ? friday : friday - 1));
}

/** One listed option. */
export interface OptionContract {
  readonly underlying: Instrument;
  readonly expiry: string;
  readonly strike: number;
  readonly right: 'C' | 'P';
  readonly conId: number;
  readonly localSymbol: string;
}

function parseRight(text: string): 'C' | 'P' | undefined | null {
  const upper = text.trim().toUpperCase();
  if (upper === '') return undefined;
  if (upper === 'C' || upper === 'CALL') return 'C';
  if (upper === 'P' || upper === 'PUT') return 'P';
  return null;
}

/** The expiries (`yyyyMMdd`) and strikes listed on a stock at `price` (what reqSecDefOptParams reports). */
export function optionParameters(price: number, today: number): { expiries: string[]; strikes: number[] } {
  const step = strikeStep(price);
  const atm = Math.round(price / step) * step;
  const strikes: number[] = [];
  for (let i = -STRIKES_EACH_SIDE; i <= STRIKES_EACH_SIDE; i += 1) {
    const strike = Math.round((atm + i * step) * 100) / 100;
    if (strike > 0) strikes.push(strike);
  }
  return { expiries: optionExpiries(today).map(formatYmd), strikes };
}

/** The option chain of a stock at `price`, filtered by the expiry, strike and right the request gives. */
export function optionChain(
  underlying: Instrument,
  price: number,
  today: number,
  wire: WireContract,
): OptionContract[] {
  const right = parseRight(wire.right);
  if (right === null) return [];
  const { expiries, strikes } = optionParameters(price, today);
  const expiryFilter = wire.lastTradeDateOrContractMonth.trim();
  const out: OptionContract[] = [];
  for (const expiry of expiries) {
    if (expiryFilter !== '' && !expiry.startsWith(expiryFilter)) continue;
    for (const strike of strikes) {
      if (wire.strike > 0 && Math.abs(wire.strike - strike) > 1e-9) continue;
      for (const r of right === undefined ? (['C', 'P'] as const) : [right]) {
        const occ = `${underlying.ibSymbol.padEnd(6)}${expiry.slice(2)}${r}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
        out.push({
          underlying,
          expiry,
          strike,
          right: r,
          conId: syntheticConId(`OPT:${occ}`),
          localSymbol: occ,
        });
      }
    }
  }
  return out;
}

/** CONTRACT_DATA content of a listed option. */
export function optionDetails(option: OptionContract, nowSeconds: number): ContractDetailsFields {
  const u = option.underlying;
  return {
    symbol: u.ibSymbol,
    secType: 'OPT',
    lastTradeDateOrContractMonth: option.expiry,
    lastTradeDate: option.expiry,
    strike: option.strike,
    right: option.right,
    exchange: 'SMART',
    currency: u.currency,
    localSymbol: option.localSymbol,
    marketName: u.ibSymbol,
    tradingClass: u.ibSymbol,
    conId: option.conId,
    minTick: 0.01,
    multiplier: '100',
    orderTypes: SIMPLE_ORDER_TYPES,
    validExchanges: OPTION_EXCHANGES,
    priceMagnifier: 1,
    underConId: u.conId,
    longName: u.longName,
    primaryExch: '',
    contractMonth: option.expiry.slice(0, 6),
    industry: u.industry,
    category: u.category,
    subcategory: u.subcategory,
    timeZoneId: 'US/Eastern',
    tradingHours: tradingHoursText('us-equity', nowSeconds, true),
    liquidHours: tradingHoursText('us-equity', nowSeconds, true),
    secIds: [],
    aggGroup: 2,
    underSymbol: u.ibSymbol,
    underSecType: 'STK',
    marketRuleIds: '32,109,109,109,109,109,109,109,32,109,32,109,109,109,109,109,109,109,109',
    realExpirationDate: option.expiry,
    stockType: '',
    minSize: 1,
    sizeIncrement: 1,
    suggestedSizeIncrement: 1,
  };
}

/** Around-the-clock hours for the coming week (crypto trades every day). */
function allWeekHours(today: number): string {
  const entries: string[] = [];
  for (let day = today; day < today + 7; day += 1)
    entries.push(`${formatYmd(day)}:0000-${formatYmd(day + 1)}:0000`);
  return entries.join(';');
}

/** CONTRACT_DATA content of a crypto pair. */
export function cryptoDetails(pair: CryptoPair, today: number): ContractDetailsFields {
  const hours = allWeekHours(today);
  return {
    symbol: pair.symbol,
    secType: 'CRYPTO',
    lastTradeDateOrContractMonth: '',
    lastTradeDate: '',
    strike: 0,
    right: '',
    exchange: pair.exchange,
    currency: pair.currency,
    localSymbol: `${pair.symbol}.${pair.currency}`,
    marketName: pair.symbol,
    tradingClass: pair.symbol,
    conId: pair.conId,
    minTick: pair.minTick,
    multiplier: '',
    orderTypes: SIMPLE_ORDER_TYPES,
    validExchanges: pair.exchange,
    priceMagnifier: 1,
    underConId: 0,
    longName: pair.longName,
    primaryExch: '',
    contractMonth: '',
    industry: '',
    category: '',
    subcategory: '',
    timeZoneId: 'US/Central',
    tradingHours: hours,
    liquidHours: hours,
    secIds: [],
    aggGroup: 2147483647,
    underSymbol: '',
    underSecType: '',
    marketRuleIds: '',
    realExpirationDate: '',
    stockType: '',
    minSize: 0.0001,
    sizeIncrement: 0.00000001,
    suggestedSizeIncrement: 0.0001,
  };
}

/** BOND_CONTRACT_DATA content of the simulated bond. */
export function bondDetails(nowSeconds: number): BondDetailsFields {
  return {
    symbol: SIMULATED_BOND.symbol,
    cusip: SIMULATED_BOND.cusip,
    coupon: SIMULATED_BOND.coupon,
    maturity: SIMULATED_BOND.maturity,
    issueDate: SIMULATED_BOND.issueDate,
    ratings: '',
    bondType: 'US-T',
    couponType: 'FIXED',
    exchange: 'SMART',
    currency: 'USD',
    marketName: 'US-T',
    tradingClass: 'US-T',
    conId: SIMULATED_BOND.conId,
    minTick: 0.0001,
    orderTypes: SIMPLE_ORDER_TYPES,
    validExchanges: 'SMART,VALUBOND,TRADEWEB',
    longName: SIMULATED_BOND.longName,
    timeZoneId: 'US/Eastern',
    tradingHours: tradingHoursText('us-equity', nowSeconds, false),
    liquidHours: tradingHoursText('us-equity', nowSeconds, true),
    secIds: [
      { tag: 'CUSIP', value: SIMULATED_BOND.cusip },
      { tag: 'ISIN', value: SIMULATED_BOND.isin },
    ],
    marketRuleIds: '158',
  };
}

/** What a contract-details request for one of these types finds. */
export type OtherContracts =
  | { readonly kind: 'details'; readonly details: readonly ContractDetailsFields[] }
  | { readonly kind: 'bond'; readonly bond: BondDetailsFields }
  | { readonly kind: 'none' };

/**
 * Looks up options, crypto and bonds; `undefined` when the request is for another type (stocks,
 * forex, futures are the contract resolver's). `priceOf` gives a stock's latest synthetic price.
 */
export function lookUpOtherContracts(
  universe: Universe,
  wire: WireContract,
  secId: { type: string; value: string },
  nowSeconds: number,
  priceOf: (instrument: Instrument) => number | undefined,
): OtherContracts | undefined {
  const secType = wire.secType.toUpperCase();
  const symbol = wire.symbol.trim().toUpperCase();
  const today = Math.floor(nowSeconds / 86400);
  const cryptoByConId = CRYPTO_PAIRS.find((pair) => wire.conId > 0 && pair.conId === wire.conId);
  const bondByConId = wire.conId > 0 && wire.conId === SIMULATED_BOND.conId;
  if (secType === 'CRYPTO' || cryptoByConId) {
    const pairs = cryptoByConId
      ? [cryptoByConId]
      : CRYPTO_PAIRS.filter(
          (pair) =>
            pair.symbol === symbol &&
            (wire.currency === '' || wire.currency.toUpperCase() === pair.currency) &&
            (wire.exchange === '' || wire.exchange.toUpperCase() === pair.exchange),
        );
    return pairs.length === 0
      ? { kind: 'none' }
      : { kind: 'details', details: pairs.map((pair) => cryptoDetails(pair, today)) };
  }
  if (secType === 'BOND' || bondByConId) {
    const id = secId.value.trim().toUpperCase();
    const matches =
      bondByConId ||
      symbol === SIMULATED_BOND.symbol ||
      symbol === SIMULATED_BOND.cusip ||
      id === SIMULATED_BOND.cusip ||
      id === SIMULATED_BOND.isin;
    return matches ? { kind: 'bond', bond: bondDetails(nowSeconds) } : { kind: 'none' };
  }
  if (secType === 'OPT') {
    const underlying = universe.get(symbol);
    const price = underlying?.secType === 'STK' ? priceOf(underlying) : undefined;
    if (!underlying || price === undefined) return { kind: 'none' };
    const chain = optionChain(underlying, price, today, wire);
    return chain.length === 0
      ? { kind: 'none' }
      : { kind: 'details', details: chain.map((option) => optionDetails(option, nowSeconds)) };
  }
  return undefined;
}
