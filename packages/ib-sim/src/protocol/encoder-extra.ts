/**
 * Replies beyond bars and contract details: symbol samples, historical ticks, bond contract data and
 * the empty "end" answers of account requests. Layouts checked against @stoqey/ib 1.6.10's decoder
 * (`decodeMsg_SYMBOL_SAMPLES`, `decodeMsg_HISTORICAL_TICKS*`, `decodeMsg_BOND_CONTRACT_DATA`).
 */
import type { WireField } from './framing';
import { OutgoingMessageId } from './message-ids';

/** SYMBOL_SAMPLES entries carry `description` and `issuerId` from this server version (BOND_ISSUERID). */
const BOND_ISSUERID = 176;

/** One entry of a SYMBOL_SAMPLES reply. */
export interface SymbolSample {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly primaryExch: string;
  readonly currency: string;
  readonly derivativeSecTypes: readonly string[];
  readonly description: string;
  readonly issuerId: string;
}

/** `[79, reqId, n, n x (conId, symbol, secType, primaryExch, currency, m, m x type, [description, issuerId])]`. */
export function symbolSamplesFields(
  reqId: number,
  samples: readonly SymbolSample[],
  serverVersion: number,
): WireField[] {
  const fields: WireField[] = [OutgoingMessageId.SYMBOL_SAMPLES, reqId, samples.length];
  for (const s of samples) {
    fields.push(s.conId, s.symbol, s.secType, s.primaryExch, s.currency, s.derivativeSecTypes.length);
    fields.push(...s.derivativeSecTypes);
    if (serverVersion >= BOND_ISSUERID) fields.push(s.description, s.issuerId);
  }
  return fields;
}

/** A trade tick (HISTORICAL_TICKS_LAST). */
export interface LastTick {
  readonly time: number;
  readonly price: number;
  readonly size: number;
  readonly exchange: string;
}

/** A quote tick (HISTORICAL_TICKS_BID_ASK). */
export interface BidAskTick {
  readonly time: number;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
}

/** A midpoint tick (HISTORICAL_TICKS). */
export interface MidpointTick {
  readonly time: number;
  readonly price: number;
}

/** `[98, reqId, n, n x (time, mask, price, size, exchange, specialConditions), done]`. */
export function historicalTicksLastFields(
  reqId: number,
  ticks: readonly LastTick[],
  done: boolean,
): WireField[] {
  const fields: WireField[] = [OutgoingMessageId.HISTORICAL_TICKS_LAST, reqId, ticks.length];
  for (const t of ticks) fields.push(t.time, 0, t.price, t.size, t.exchange, '');
  fields.push(done ? 1 : 0);
  return fields;
}

/** `[97, reqId, n, n x (time, flags, bid, ask, bidSize, askSize), done]`. */
export function historicalTicksBidAskFields(
  reqId: number,
  ticks: readonly BidAskTick[],
  done: boolean,
): WireField[] {
  const fields: WireField[] = [OutgoingMessageId.HISTORICAL_TICKS_BID_ASK, reqId, ticks.length];
  for (const t of ticks) fields.push(t.time, 0, t.bid, t.ask, t.bidSize, t.askSize);
  fields.push(done ? 1 : 0);
  return fields;
}

/** `[96, reqId, n, n x (time, 0, price, size), done]`. */
export function historicalTicksMidpointFields(
  reqId: number,
  ticks: readonly MidpointTick[],
  done: boolean,
): WireField[] {
  const fields: WireField[] = [OutgoingMessageId.HISTORICAL_TICKS, reqId, ticks.length];
  for (const t of ticks) fields.push(t.time, 0, t.price, 0);
  fields.push(done ? 1 : 0);
  return fields;
}

/** The content of one BOND_CONTRACT_DATA message. */
export interface BondDetailsFields {
  readonly symbol: string;
  readonly cusip: string;
  readonly coupon: number;
  /** Maturity, `yyyyMMdd`. */
  readonly maturity: string;
  readonly issueDate: string;
  readonly ratings: string;
  readonly bondType: string;
  readonly couponType: string;
  readonly exchange: string;
  readonly currency: string;
  readonly marketName: string;
  readonly tradingClass: string;
  readonly conId: number;
  readonly minTick: number;
  readonly orderTypes: string;
  readonly validExchanges: string;
  readonly longName: string;
  readonly timeZoneId: string;
  readonly tradingHours: string;
  readonly liquidHours: string;
  readonly secIds: readonly { readonly tag: string; readonly value: string }[];
  readonly marketRuleIds: string;
}

/** BOND_TRADING_HOURS: the bond reply carries time zone and hours from this server version. */
const BOND_TRADING_HOURS = 188;

/**
 * BOND_CONTRACT_DATA (18) for server versions >= 164 (SIZE_RULES: no version field, version 6
 * layout): symbol, secType, cusip, coupon, maturity, issue date, ratings, types, flags, exchange ...
 */
export function bondContractDataFields(
  reqId: number,
  b: BondDetailsFields,
  serverVersion: number,
): WireField[] {
  const fields: WireField[] = [
    OutgoingMessageId.BOND_CONTRACT_DATA,
    reqId,
    b.symbol,
    'BOND',
    b.cusip,
    b.coupon,
    b.maturity,
    b.issueDate,
    b.ratings,
    b.bondType,
    b.couponType,
    0, // convertible
    0, // callable
    0, // putable
    '', // descAppend
    b.exchange,
    b.currency,
    b.marketName,
    b.tradingClass,
    b.conId,
    b.minTick,
    b.orderTypes,
    b.validExchanges,
    '', // nextOptionDate
    '', // nextOptionType
    0, // nextOptionPartial
    '', // notes
    b.longName,
  ];
  if (serverVersion >= BOND_TRADING_HOURS) fields.push(b.timeZoneId, b.tradingHours, b.liquidHours);
  fields.push('', '', b.secIds.length); // evRule, evMultiplier
  for (const { tag, value } of b.secIds) fields.push(tag, value);
  fields.push(1, b.marketRuleIds, 1, 1, 1); // aggGroup, rules, minSize, sizeIncrement, suggested
  return fields;
}

/** `[75, reqId, exchange, underConId, tradingClass, multiplier, n, expiries..., m, strikes...]`. */
export function optionParameterFields(
  reqId: number,
  exchange: string,
  underConId: number,
  tradingClass: string,
  expiries: readonly string[],
  strikes: readonly number[],
): WireField[] {
  return [
    OutgoingMessageId.SECURITY_DEFINITION_OPTION_PARAMETER,
    reqId,
    exchange,
    underConId,
    tradingClass,
    100,
    expiries.length,
    ...expiries,
    strikes.length,
    ...strikes,
  ];
}

/** `[76, reqId]`. */
export function optionParameterEndFields(reqId: number): WireField[] {
  return [OutgoingMessageId.SECURITY_DEFINITION_OPTION_PARAMETER_END, reqId];
}

/** Empty answers to account requests: the simulated account has no orders, positions or fills. */
export const emptyAccountAnswers = {
  openOrderEnd: (): WireField[] => [OutgoingMessageId.OPEN_ORDER_END, 1],
  executionDataEnd: (reqId: number): WireField[] => [OutgoingMessageId.EXECUTION_DATA_END, 1, reqId],
  positionEnd: (): WireField[] => [OutgoingMessageId.POSITION_END, 1],
  accountSummaryEnd: (reqId: number): WireField[] => [OutgoingMessageId.ACCOUNT_SUMMARY_END, 1, reqId],
  completedOrdersEnd: (): WireField[] => [OutgoingMessageId.COMPLETED_ORDERS_END],
} as const;
