import { ValidationError } from '@ktrdr/core';
import { type InstrumentType, isForexSymbol } from '../domain/symbols';
import type { IbContract, IbContractDetails } from './ib-api-port';

/** Instrument types the transport trades in, named as IB's `secType` (the domain's {@link InstrumentType}). */
export type IbInstrumentType = InstrumentType;

/** What a symbol resolved to at IB. */
export interface IbContractInfo {
  /** The symbol as asked for, normalised (`EUR.USD`, `AAPL`, `ES`). */
  symbol: string;
  instrumentType: IbInstrumentType;
  /** IB's contract id. */
  conId: number;
  exchange: string;
  primaryExchange?: string;
  currency: string;
  localSymbol?: string;
  /** IB's long name (`APPLE INC`, `European Monetary Union Euro`). */
  description?: string;
  timeZoneId?: string;
  /** IB's trading-hours string (`20240301:0930-20240301:1600;...`), for the trading calendar. */
  tradingHours?: string;
  liquidHours?: string;
  minTick?: number;
  multiplier?: number;
  /** Futures: last trade date or contract month of the front contract chosen. */
  lastTradeDateOrContractMonth?: string;
  /** The contract historical requests for this symbol are sent with. */
  contract: IbContract;
}

const TYPE_ALIASES: Readonly<Record<string, IbInstrumentType>> = {
  stk: 'STK',
  stock: 'STK',
  stocks: 'STK',
  equity: 'STK',
  cash: 'CASH',
  forex: 'CASH',
  fx: 'CASH',
  currency: 'CASH',
  fut: 'FUT',
  future: 'FUT',
  futures: 'FUT',
};

/** Exchanges a future is looked up on, in order: CME's current name, then its legacy GLOBEX name. */
export const FUTURE_EXCHANGES = ['CME', 'GLOBEX'] as const;

const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9. /-]{0,31}$/;

/**
 * An instrument type from user input: IB's names (`STK`, `CASH`, `FUT`) or the Python system's
 * and everyday ones (`stock`, `forex`, `fx`, `future`, `futures`), any case.
 * @throws ValidationError (`details.field = 'instrumentType'`) for anything else.
 */
export function parseInstrumentType(value: unknown): IbInstrumentType {
  const type = typeof value === 'string' ? TYPE_ALIASES[value.trim().toLowerCase()] : undefined;
  if (type !== undefined) return type;
  throw new ValidationError(
    `Unknown instrument type '${String(value)}': use stock (STK), forex (CASH) or futures (FUT).`,
    { details: { field: 'instrumentType', value: String(value), accepted: ['STK', 'CASH', 'FUT'] } },
  );
}

/**
 * A symbol trimmed and upper-cased.
 * @throws ValidationError (`details.field = 'symbol'`) when empty or holding characters no IB
 * symbol has.
 */
export function normalizeSymbol(symbol: unknown): string {
  const text = typeof symbol === 'string' ? symbol.trim().toUpperCase() : '';
  if (!SYMBOL_PATTERN.test(text)) {
    throw new ValidationError(
      `Invalid symbol '${String(symbol)}': use a ticker such as AAPL, a currency pair such as EUR.USD, or a future root such as ES.`,
      { details: { field: 'symbol', value: String(symbol) } },
    );
  }
  return text;
}

/**
 * The types to try, in order, when looking a symbol up. With no type given, the Python system's
 * order CASH, STK, FUT, skipping CASH for anything that is not a currency pair: IB can only answer
 * 200 to such a CASH request, and every wasted request costs time under pacing.
 */
export function candidateTypes(symbol: string, type?: IbInstrumentType): IbInstrumentType[] {
  if (type !== undefined) return [type];
  return isForexSymbol(symbol) ? ['CASH', 'STK', 'FUT'] : ['STK', 'FUT'];
}

/**
 * The contract to ask IB about: forex `EUR.USD` as CASH EUR/USD on IDEALPRO, stocks on SMART in
 * USD, futures by root on `exchange` (all contract months; see {@link pickFrontFuture}).
 */
export function lookupContract(
  symbol: string,
  type: IbInstrumentType,
  exchange: string = FUTURE_EXCHANGES[0],
): IbContract {
  switch (type) {
    case 'CASH': {
      if (!isForexSymbol(symbol)) {
        throw new ValidationError(`Forex symbol '${symbol}' must be a currency pair written like EUR.USD.`, {
          details: { field: 'symbol', value: symbol },
        });
      }
      const [base, quote] = symbol.split('.') as [string, string];
      return { symbol: base, secType: 'CASH', currency: quote, exchange: 'IDEALPRO' };
    }
    case 'STK':
      return { symbol, secType: 'STK', currency: 'USD', exchange: 'SMART' };
    case 'FUT':
      return { symbol, secType: 'FUT', currency: 'USD', exchange, includeExpired: false };
  }
}

/**
 * The front contract among a future's contract months: the one expiring first. IB lists only live
 * months when `includeExpired` is false (as we ask), so the earliest listed is the front one by the
 * gateway's own calendar, which matters when its clock is not ours (a simulator's `now`). Give
 * `now` to also skip months that expired before it; if all did, the latest one is returned.
 */
export function pickFrontFuture(
  details: readonly IbContractDetails[],
  now?: Date,
): IbContractDetails | undefined {
  const today = now === undefined ? '' : now.toISOString().slice(0, 10).replaceAll('-', '');
  const dated = details
    .map((entry) => ({ entry, expiry: expiryOf(entry) }))
    .filter((item): item is { entry: IbContractDetails; expiry: string } => item.expiry !== undefined)
    .sort((a, b) => a.expiry.localeCompare(b.expiry));
  const live = dated.find((item) => item.expiry >= today);
  return (live ?? dated[dated.length - 1])?.entry ?? details[0];
}

/** `yyyyMMdd` of a contract's expiry; a bare contract month counts as its last day. */
function expiryOf(details: IbContractDetails): string | undefined {
  const raw =
    details.realExpirationDate ||
    details.contract.lastTradeDateOrContractMonth ||
    details.contract.lastTradeDate;
  const digits = raw?.replaceAll(/\D/g, '').slice(0, 8);
  if (digits === undefined || digits.length < 6) return undefined;
  return digits.length === 6 ? `${digits}31` : digits;
}

/** Our view of IB's contract details for `symbol`. */
export function toContractInfo(
  symbol: string,
  type: IbInstrumentType,
  details: IbContractDetails,
): IbContractInfo {
  const c = details.contract;
  const contract: IbContract = {
    conId: c.conId,
    symbol: c.symbol,
    secType: c.secType ?? type,
    exchange: type === 'STK' ? 'SMART' : c.exchange,
    primaryExch: c.primaryExch || undefined,
    currency: c.currency,
    localSymbol: c.localSymbol || undefined,
    lastTradeDateOrContractMonth: type === 'FUT' ? c.lastTradeDateOrContractMonth : undefined,
    multiplier: type === 'FUT' ? c.multiplier : undefined,
  };
  const info: IbContractInfo = {
    symbol,
    instrumentType: type,
    conId: c.conId ?? 0,
    exchange: contract.exchange ?? '',
    currency: c.currency ?? '',
    contract: dropUndefined(contract),
  };
  assignDefined(info, {
    primaryExchange: c.primaryExch || undefined,
    localSymbol: c.localSymbol || undefined,
    description: details.longName || undefined,
    timeZoneId: details.timeZoneId || undefined,
    tradingHours: details.tradingHours || undefined,
    liquidHours: details.liquidHours || undefined,
    minTick: details.minTick,
    multiplier: type === 'FUT' ? c.multiplier : undefined,
    lastTradeDateOrContractMonth: type === 'FUT' ? c.lastTradeDateOrContractMonth || undefined : undefined,
  });
  return info;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function assignDefined<T extends object>(target: T, values: Partial<T>): void {
  Object.assign(target, dropUndefined(values));
}
