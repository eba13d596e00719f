/**
 * Contract details beyond stocks, forex and futures: option chains on the universe's stocks (see
 * option-chain.ts), crypto pairs on PAXOS, and one simulated US Treasury bond. Details only:
 * historical data for them is not simulated.
 */
import { formatYmd } from '../market/civil-date';
import type { Instrument } from '../market/instrument';
import { syntheticConId } from '../market/instrument';
import { tradingHoursText } from '../market/trading-hours';
import type { Universe } from '../market/universe';
import type { WireContract } from '../protocol/decoder';
import type { ContractDetailsFields } from '../protocol/encoder';
import type { BondDetailsFields } from '../protocol/encoder-extra';
import { SIMPLE_ORDER_TYPES, optionChain, optionDetails } from './option-chain';

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
