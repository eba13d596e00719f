/**
 * Option chains on the universe's stocks: weekly and monthly expiries from today, strikes around
 * the latest synthetic close, calls and puts, as contract details and as reqSecDefOptParams lists.
 */
import { formatYmd, weekdayOf } from '../market/civil-date';
import { isNyseTradingDay } from '../market/calendar';
import type { Instrument } from '../market/instrument';
import { syntheticConId } from '../market/instrument';
import { tradingHoursText } from '../market/trading-hours';
import type { WireContract } from '../protocol/decoder';
import type { ContractDetailsFields } from '../protocol/encoder';

/** Order types of the option, crypto and bond contracts (a representative list, not live IB data). */
export const SIMPLE_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';

const OPTION_EXCHANGES =
  'SMART,AMEX,CBOE,PHLX,PSE,ISE,BOX,BATS,NASDAQOM,CBOE2,NASDAQBX,MIAX,GEMINI,EDGX,MERCURY,PEARL,EMERALD,MEMX,IBUSOPT';
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
