/**
 * Builds the simulator's replies. Every layout was checked field by field against @stoqey/ib
 * 1.6.10's decoder (`dist/core/io/decoder.js`): one field too many raises 505 "unprocessed data left
 * on queue" in the client, one too few 505 "Underrun error".
 */
import type { ServedBar } from '../market/bar';
import type { WireField } from './framing';
import { encodeFields, FRAME_HEADER_BYTES } from './framing';
import { OutgoingMessageId } from './message-ids';

/** ERR_MSG carries `advancedOrderRejectJson` from this server version (ADVANCED_ORDER_REJECT). */
const ADVANCED_ORDER_REJECT = 166;
/** CONTRACT_DATA carries `lastTradeDate` from this server version (LAST_TRADE_DATE). */
const LAST_TRADE_DATE = 182;
/** CONTRACT_DATA carries the ineligibility reasons list from this server version. */
const INELIGIBILITY_REASONS = 186;

/** `[4, 2, reqId, code, message, advancedOrderRejectJson]`; reqId -1 makes the client emit `info`. */
export function errorFields(
  reqId: number,
  code: number,
  message: string,
  serverVersion: number,
): WireField[] {
  const fields: WireField[] = [OutgoingMessageId.ERR_MSG, 2, reqId, code, message];
  if (serverVersion >= ADVANCED_ORDER_REJECT) fields.push('');
  return fields;
}

/** `[15, 1, "ACC1,ACC2"]`. */
export function managedAccountsFields(accounts: readonly string[]): WireField[] {
  return [OutgoingMessageId.MANAGED_ACCTS, 1, accounts.join(',')];
}

/** `[9, 1, orderId]`: the client holds every request until it has seen this. */
export function nextValidIdFields(orderId: number): WireField[] {
  return [OutgoingMessageId.NEXT_VALID_ID, 1, orderId];
}

/** `[49, 1, epochSeconds]`. */
export function currentTimeFields(epochSeconds: number): WireField[] {
  return [OutgoingMessageId.CURRENT_TIME, 1, epochSeconds];
}

/** `[88, reqId, timestamp]`. */
export function headTimestampFields(reqId: number, timestamp: string): WireField[] {
  return [OutgoingMessageId.HEAD_TIMESTAMP, reqId, timestamp];
}

/** `[52, 1, reqId]`. */
export function contractDataEndFields(reqId: number): WireField[] {
  return [OutgoingMessageId.CONTRACT_DATA_END, 1, reqId];
}

/** The content of one CONTRACT_DATA message. */
export interface ContractDetailsFields {
  readonly symbol: string;
  readonly secType: string;
  readonly lastTradeDateOrContractMonth: string;
  readonly lastTradeDate: string;
  readonly strike: number;
  readonly right: string;
  readonly exchange: string;
  readonly currency: string;
  readonly localSymbol: string;
  readonly marketName: string;
  readonly tradingClass: string;
  readonly conId: number;
  readonly minTick: number;
  readonly multiplier: string;
  readonly orderTypes: string;
  readonly validExchanges: string;
  readonly priceMagnifier: number;
  readonly underConId: number;
  readonly longName: string;
  readonly primaryExch: string;
  readonly contractMonth: string;
  readonly industry: string;
  readonly category: string;
  readonly subcategory: string;
  readonly timeZoneId: string;
  readonly tradingHours: string;
  readonly liquidHours: string;
  readonly secIds: readonly { readonly tag: string; readonly value: string }[];
  readonly aggGroup: number;
  readonly underSymbol: string;
  readonly underSecType: string;
  readonly marketRuleIds: string;
  readonly realExpirationDate: string;
  readonly stockType: string;
  readonly minSize: number;
  readonly sizeIncrement: number;
  readonly suggestedSizeIncrement: number;
}

/**
 * CONTRACT_DATA (10) for server versions >= 164, which dropped the version field. FUND fields are
 * never written: the simulator serves no FUND contracts.
 */
export function contractDataFields(
  reqId: number,
  c: ContractDetailsFields,
  serverVersion: number,
): WireField[] {
  const fields: WireField[] = [
    OutgoingMessageId.CONTRACT_DATA,
    reqId,
    c.symbol,
    c.secType,
    c.lastTradeDateOrContractMonth,
  ];
  if (serverVersion >= LAST_TRADE_DATE) fields.push(c.lastTradeDate);
  fields.push(
    c.strike,
    c.right,
    c.exchange,
    c.currency,
    c.localSymbol,
    c.marketName,
    c.tradingClass,
    c.conId,
    c.minTick,
    c.multiplier,
    c.orderTypes,
    c.validExchanges,
    c.priceMagnifier,
    c.underConId,
    c.longName,
    c.primaryExch,
    c.contractMonth,
    c.industry,
    c.category,
    c.subcategory,
    c.timeZoneId,
    c.tradingHours,
    c.liquidHours,
    '', // evRule
    '', // evMultiplier
    c.secIds.length,
  );
  for (const { tag, value } of c.secIds) fields.push(tag, value);
  fields.push(
    c.aggGroup,
    c.underSymbol,
    c.underSecType,
    c.marketRuleIds,
    c.realExpirationDate,
    c.stockType,
    c.minSize,
    c.sizeIncrement,
    c.suggestedSizeIncrement,
  );
  if (serverVersion >= INELIGIBILITY_REASONS) fields.push(0);
  return fields;
}

/** Bars serialised per block: small strings die young, so a year of minutes does not churn the GC. */
const BARS_PER_BLOCK = 2048;

/**
 * HISTORICAL_DATA (17) as one complete frame: `[17, reqId, start, end, n, n x (date, o, h, l, c,
 * volume, WAP, barCount)]`, no version and no hasGaps (server version >= 124). Serialised in blocks
 * straight into bytes because one reply can hold a quarter of a million bars.
 */
export function historicalDataFrame(
  reqId: number,
  startText: string,
  endText: string,
  bars: readonly ServedBar[],
  label: (bar: ServedBar) => string,
): Buffer {
  const blocks: Buffer[] = [
    Buffer.from(
      encodeFields([OutgoingMessageId.HISTORICAL_DATA, reqId, startText, endText, bars.length]),
      'utf8',
    ),
  ];
  for (let from = 0; from < bars.length; from += BARS_PER_BLOCK) {
    let text = '';
    const to = Math.min(bars.length, from + BARS_PER_BLOCK);
    for (let i = from; i < to; i += 1) {
      const bar = bars[i] as ServedBar;
      text += `${label(bar)}\0${bar.open}\0${bar.high}\0${bar.low}\0${bar.close}\0${bar.volume}\0${bar.wap}\0${bar.count}\0`;
    }
    blocks.push(Buffer.from(text, 'utf8'));
  }
  let length = 0;
  for (const block of blocks) length += block.length;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.writeUInt32BE(length, 0);
  let offset = FRAME_HEADER_BYTES;
  for (const block of blocks) offset += block.copy(frame, offset);
  return frame;
}

/** HISTORICAL_DATA_UPDATE (90): `[90, reqId, barCount, date, open, close, high, low, WAP, volume]`. */
export function historicalDataUpdateFields(reqId: number, bar: ServedBar, date: string): WireField[] {
  return [
    OutgoingMessageId.HISTORICAL_DATA_UPDATE,
    reqId,
    bar.count,
    date,
    bar.open,
    bar.close,
    bar.high,
    bar.low,
    bar.wap,
    bar.volume,
  ];
}
