/**
 * Matches the contract a client sent against the universe, as IB's contract lookup does: by conId,
 * or by symbol/secType/currency/exchange (and expiry for futures). Unknown contracts get error 200;
 * a futures request for historical data without an expiry is ambiguous (also 200).
 */
import type { Instrument } from '../market/instrument';
import type { FutureContract } from '../market/futures';
import {
  contractsFrom,
  expiredContracts,
  futureByConId,
  futureFor,
  futureForLocalSymbol,
} from '../market/futures';
import type { Universe } from '../market/universe';
import type { WireContract } from '../protocol/decoder';
import { IbErrorCode, IbErrorText } from '../protocol/error-messages';
import { NOT_IMPLEMENTED_CODE } from './unsupported-requests';

/** A concrete contract the simulator can describe or serve. */
export interface ResolvedContract {
  readonly instrument: Instrument;
  /** The dated contract, for futures. */
  readonly future: FutureContract | undefined;
  /** True for `CONTFUT`: the root's continuous series. */
  readonly continuous: boolean;
}

/** Outcome of a lookup. */
export type ContractResolution =
  | { readonly ok: true; readonly contracts: readonly ResolvedContract[] }
  | { readonly ok: false; readonly code: number; readonly message: string };

/** What the lookup is for: details list every match, data needs exactly one contract. */
export type ResolvePurpose = 'details' | 'data';

/** How long expired futures stay listed with `includeExpired` (IB: two years). */
const EXPIRED_LISTING_DAYS = 730;
/** How many upcoming quarterly contracts contract details list. */
const LISTED_CONTRACTS = 4;

const notFound: ContractResolution = {
  ok: false,
  code: IbErrorCode.NO_SECURITY_DEFINITION,
  message: IbErrorText.noSecurityDefinition,
};

function exchangeMatches(instrument: Instrument, exchange: string): boolean {
  if (exchange === '') return true;
  const upper = exchange.toUpperCase();
  return upper === instrument.exchange || instrument.validExchanges.split(',').includes(upper);
}

function instrumentMatches(instrument: Instrument, wire: WireContract): boolean {
  const secType = wire.secType.toUpperCase();
  if (
    secType !== '' &&
    secType !== instrument.secType &&
    !(secType === 'CONTFUT' && instrument.secType === 'FUT')
  ) {
    return false;
  }
  const symbol = wire.symbol.toUpperCase();
  const local = wire.localSymbol.toUpperCase();
  const bySymbol = symbol !== '' && symbol === instrument.ibSymbol;
  const byLocal =
    symbol === '' &&
    local !== '' &&
    (local === instrument.localSymbol ||
      (instrument.secType === 'FUT' && local.startsWith(instrument.ibSymbol)));
  if (!bySymbol && !byLocal) return false;
  if (wire.currency !== '' && wire.currency.toUpperCase() !== instrument.currency) return false;
  return exchangeMatches(instrument, wire.exchange);
}

function resolveFuture(
  instrument: Instrument,
  wire: WireContract,
  todayDay: number,
  purpose: ResolvePurpose,
): ContractResolution {
  const continuous = wire.secType.toUpperCase() === 'CONTFUT';
  if (continuous) {
    const front = contractsFrom(instrument, todayDay, 1)[0];
    return {
      ok: true,
      contracts: [{ instrument, future: purpose === 'details' ? front : undefined, continuous }],
    };
  }
  const expiry = wire.lastTradeDateOrContractMonth.trim();
  let future: FutureContract | undefined;
  if (/^\d{6}(\d{2})?$/.test(expiry)) {
    future = futureFor(instrument, Number(expiry.slice(0, 4)), Number(expiry.slice(4, 6)));
    if (future && expiry.length === 8 && future.lastTradeDate !== expiry) future = undefined;
    if (!future) return notFound;
  } else if (wire.localSymbol !== '') {
    future = futureForLocalSymbol(instrument, wire.localSymbol, todayDay);
    if (!future) return notFound;
  }
  if (future) {
    if (future.expiryDay < todayDay && !wire.includeExpired) return notFound;
    return { ok: true, contracts: [{ instrument, future, continuous: false }] };
  }
  if (purpose === 'data') {
    return {
      ok: false,
      code: IbErrorCode.NO_SECURITY_DEFINITION,
      message: IbErrorText.ambiguousContract(instrument.ibSymbol),
    };
  }
  const listed = [
    ...(wire.includeExpired ? expiredContracts(instrument, todayDay - EXPIRED_LISTING_DAYS, todayDay) : []),
    ...contractsFrom(instrument, todayDay, LISTED_CONTRACTS),
  ];
  return { ok: true, contracts: listed.map((f) => ({ instrument, future: f, continuous: false })) };
}

/** Security types with contract details only (see other-contracts.ts): no data is simulated for them. */
const DETAILS_ONLY = new Set(['OPT', 'CRYPTO', 'BOND']);

/** Looks a wire contract up in the universe. `todayDay` decides which futures are live. */
export function resolveContract(
  universe: Universe,
  wire: WireContract,
  todayDay: number,
  purpose: ResolvePurpose,
): ContractResolution {
  const secType = wire.secType.toUpperCase();
  if (purpose === 'data' && DETAILS_ONLY.has(secType)) {
    return {
      ok: false,
      code: NOT_IMPLEMENTED_CODE,
      message: `[ktrdr IB simulator] data for ${secType} contracts is not simulated (contract details only).`,
    };
  }
  if (wire.conId > 0) {
    for (const instrument of universe.list()) {
      if (instrument.secType !== 'FUT' && instrument.conId === wire.conId) {
        return { ok: true, contracts: [{ instrument, future: undefined, continuous: false }] };
      }
      if (instrument.secType === 'FUT') {
        const future = futureByConId(instrument, wire.conId, todayDay);
        if (future && (future.expiryDay >= todayDay || wire.includeExpired)) {
          return { ok: true, contracts: [{ instrument, future, continuous: false }] };
        }
      }
    }
    return notFound;
  }
  const matches = universe.list().filter((instrument) => instrumentMatches(instrument, wire));
  if (matches.length === 0) return notFound;
  const contracts: ResolvedContract[] = [];
  for (const instrument of matches) {
    if (instrument.secType !== 'FUT') {
      contracts.push({ instrument, future: undefined, continuous: false });
      continue;
    }
    const resolved = resolveFuture(instrument, wire, todayDay, purpose);
    if (!resolved.ok) {
      if (matches.length === 1) return resolved;
      continue;
    }
    contracts.push(...resolved.contracts);
  }
  if (contracts.length === 0) return notFound;
  if (purpose === 'data' && contracts.length > 1) {
    return {
      ok: false,
      code: IbErrorCode.NO_SECURITY_DEFINITION,
      message: IbErrorText.ambiguousContract(wire.symbol),
    };
  }
  return { ok: true, contracts };
}
