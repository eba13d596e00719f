/**
 * Quarterly futures contracts (March, June, September, December) expiring on the third Friday, as for
 * CME equity index futures. Every contract of a root shares the root's synthetic series: the
 * simulator models neither basis nor roll gaps.
 */
import { civilFromDays, formatYmd, nthWeekdayOfMonth } from './civil-date';
import { isNyseTradingDay } from './calendar';
import type { Instrument } from './instrument';
import { mixHash } from './random';

const MONTH_CODES = 'FGHJKMNQUVXZ';
const QUARTER_MONTHS = [3, 6, 9, 12] as const;
const FRIDAY = 5;

/** One dated contract of a futures root. */
export interface FutureContract {
  readonly year: number;
  readonly month: number;
  /** Last trading day (day number). */
  readonly expiryDay: number;
  /** `yyyyMM`. */
  readonly contractMonth: string;
  /** `yyyyMMdd`. */
  readonly lastTradeDate: string;
  /** `ESH4`-style local symbol (single-digit year, as IB writes it). */
  readonly localSymbol: string;
  readonly conId: number;
}

/** The contract of a root for a quarterly month; `undefined` for non-quarterly months. */
export function futureFor(instrument: Instrument, year: number, month: number): FutureContract | undefined {
  if (!QUARTER_MONTHS.includes(month as (typeof QUARTER_MONTHS)[number])) return undefined;
  let expiryDay = nthWeekdayOfMonth(year, month, FRIDAY, 3);
  // An exchange holiday on the third Friday moves the last trading day earlier.
  while (!isNyseTradingDay(expiryDay)) expiryDay -= 1;
  return {
    year,
    month,
    expiryDay,
    contractMonth: `${year}${String(month).padStart(2, '0')}`,
    lastTradeDate: formatYmd(expiryDay),
    localSymbol: `${instrument.ibSymbol}${MONTH_CODES[month - 1]}${year % 10}`,
    conId: 100_000_000 + (mixHash(instrument.conId, year * 100 + month) % 900_000_000),
  };
}

/** Quarterly contracts expiring on or after `fromDay`, nearest first. */
export function contractsFrom(instrument: Instrument, fromDay: number, count: number): FutureContract[] {
  const { year, month } = civilFromDays(fromDay);
  const out: FutureContract[] = [];
  for (let index = year * 12 + month - 1; out.length < count; index += 1) {
    const contract = futureFor(instrument, Math.floor(index / 12), (index % 12) + 1);
    if (contract && contract.expiryDay >= fromDay) out.push(contract);
  }
  return out;
}

/** Contracts that expired in `(fromDay, beforeDay)`, oldest first. */
export function expiredContracts(
  instrument: Instrument,
  fromDay: number,
  beforeDay: number,
): FutureContract[] {
  return contractsFrom(instrument, fromDay, 20).filter((contract) => contract.expiryDay < beforeDay);
}

/**
 * Resolves a `localSymbol` like `ESH5`: the single year digit is taken as the year nearest `today`.
 */
export function futureForLocalSymbol(
  instrument: Instrument,
  localSymbol: string,
  todayDay: number,
): FutureContract | undefined {
  const match = /^([A-Z]+)([FGHJKMNQUVXZ])(\d{1,2})$/.exec(localSymbol.toUpperCase());
  if (!match || match[1] !== instrument.ibSymbol) return undefined;
  const month = MONTH_CODES.indexOf(match[2] ?? '') + 1;
  const digits = match[3] ?? '';
  const thisYear = civilFromDays(todayDay).year;
  const modulus = digits.length === 1 ? 10 : 100;
  const wanted = Number(digits);
  let best: number | undefined;
  for (let year = thisYear - modulus + 1; year <= thisYear + modulus - 1; year += 1) {
    if (year % modulus !== wanted) continue;
    if (best === undefined || Math.abs(year - thisYear) < Math.abs(best - thisYear)) best = year;
  }
  return best === undefined ? undefined : futureFor(instrument, best, month);
}

/** Finds a contract of a root by conId among those expiring within ±`years` of `todayDay`. */
export function futureByConId(
  instrument: Instrument,
  conId: number,
  todayDay: number,
  years = 5,
): FutureContract | undefined {
  return contractsFrom(instrument, todayDay - years * 366, years * 8 + 1).find(
    (contract) => contract.conId === conId,
  );
}
