/**
 * Answers for the TWS API requests the simulator does not implement, so that no client waits for a
 * reply that never comes:
 * - account requests get what a real gateway sends for an account with no orders, positions or
 *   fills (the "end" message alone);
 * - cancels and settings get no answer, as from a real gateway;
 * - every other request gets error 10000 + a clearly labelled text (`[ktrdr IB simulator] ... is not
 *   implemented`), addressed to its request id where the message has one (-1 otherwise).
 * Request id positions follow @stoqey/ib 1.6.10's encoder at server version 193.
 */
import type { WireField } from '../protocol/framing';
import { emptyAccountAnswers } from '../protocol/encoder-extra';

/** Code of the simulator's "not implemented" error: outside IB's ranges, and not a warning. */
export const NOT_IMPLEMENTED_CODE = 10000;

/** How the simulator answers one unimplemented message id. */
interface Unsupported {
  readonly name: string;
  /** Index of the request id among the fields after the message id; undefined: none. */
  readonly reqIdAt?: number;
  /** `silent`: cancels and settings, never answered by a gateway either. */
  readonly answer?: 'silent' | ((reqId: number) => WireField[]);
}

const UNSUPPORTED: Readonly<Record<number, Unsupported>> = {
  1: { name: 'REQ_MKT_DATA', reqIdAt: 1 },
  2: { name: 'CANCEL_MKT_DATA', answer: 'silent' },
  3: { name: 'PLACE_ORDER', reqIdAt: 0 },
  4: { name: 'CANCEL_ORDER', answer: 'silent' },
  5: { name: 'REQ_OPEN_ORDERS', answer: emptyAccountAnswers.openOrderEnd },
  6: { name: 'REQ_ACCOUNT_DATA' },
  7: { name: 'REQ_EXECUTIONS', reqIdAt: 1, answer: emptyAccountAnswers.executionDataEnd },
  10: { name: 'REQ_MKT_DEPTH', reqIdAt: 1 },
  11: { name: 'CANCEL_MKT_DEPTH', answer: 'silent' },
  12: { name: 'REQ_NEWS_BULLETINS' },
  13: { name: 'CANCEL_NEWS_BULLETINS', answer: 'silent' },
  15: { name: 'REQ_AUTO_OPEN_ORDERS', answer: emptyAccountAnswers.openOrderEnd },
  16: { name: 'REQ_ALL_OPEN_ORDERS', answer: emptyAccountAnswers.openOrderEnd },
  18: { name: 'REQ_FA' },
  19: { name: 'REPLACE_FA', reqIdAt: 3 },
  21: { name: 'EXERCISE_OPTIONS', reqIdAt: 1 },
  22: { name: 'REQ_SCANNER_SUBSCRIPTION', reqIdAt: 0 },
  23: { name: 'CANCEL_SCANNER_SUBSCRIPTION', answer: 'silent' },
  24: { name: 'REQ_SCANNER_PARAMETERS' },
  50: { name: 'REQ_REAL_TIME_BARS', reqIdAt: 1 },
  51: { name: 'CANCEL_REAL_TIME_BARS', answer: 'silent' },
  52: { name: 'REQ_FUNDAMENTAL_DATA', reqIdAt: 1 },
  53: { name: 'CANCEL_FUNDAMENTAL_DATA', answer: 'silent' },
  54: { name: 'REQ_CALC_IMPLIED_VOLAT', reqIdAt: 1 },
  55: { name: 'REQ_CALC_OPTION_PRICE', reqIdAt: 1 },
  56: { name: 'CANCEL_CALC_IMPLIED_VOLAT', answer: 'silent' },
  57: { name: 'CANCEL_CALC_OPTION_PRICE', answer: 'silent' },
  58: { name: 'REQ_GLOBAL_CANCEL', answer: 'silent' },
  59: { name: 'REQ_MARKET_DATA_TYPE', answer: 'silent' },
  61: { name: 'REQ_POSITIONS', answer: emptyAccountAnswers.positionEnd },
  62: { name: 'REQ_ACCOUNT_SUMMARY', reqIdAt: 1, answer: emptyAccountAnswers.accountSummaryEnd },
  63: { name: 'CANCEL_ACCOUNT_SUMMARY', answer: 'silent' },
  64: { name: 'CANCEL_POSITIONS', answer: 'silent' },
  65: { name: 'VERIFY_REQUEST' },
  66: { name: 'VERIFY_MESSAGE' },
  67: { name: 'QUERY_DISPLAY_GROUPS', reqIdAt: 1 },
  68: { name: 'SUBSCRIBE_TO_GROUP_EVENTS', reqIdAt: 1 },
  69: { name: 'UPDATE_DISPLAY_GROUP', reqIdAt: 1 },
  70: { name: 'UNSUBSCRIBE_FROM_GROUP_EVENTS', answer: 'silent' },
  72: { name: 'VERIFY_AND_AUTH_REQUEST' },
  73: { name: 'VERIFY_AND_AUTH_MESSAGE' },
  74: { name: 'REQ_POSITIONS_MULTI', reqIdAt: 1 },
  75: { name: 'CANCEL_POSITIONS_MULTI', answer: 'silent' },
  76: { name: 'REQ_ACCOUNT_UPDATES_MULTI', reqIdAt: 1 },
  77: { name: 'CANCEL_ACCOUNT_UPDATES_MULTI', answer: 'silent' },
  79: { name: 'REQ_SOFT_DOLLAR_TIERS', reqIdAt: 0 },
  80: { name: 'REQ_FAMILY_CODES' },
  82: { name: 'REQ_MKT_DEPTH_EXCHANGES' },
  83: { name: 'REQ_SMART_COMPONENTS', reqIdAt: 0 },
  84: { name: 'REQ_NEWS_ARTICLE', reqIdAt: 0 },
  85: { name: 'REQ_NEWS_PROVIDERS' },
  86: { name: 'REQ_HISTORICAL_NEWS', reqIdAt: 0 },
  88: { name: 'REQ_HISTOGRAM_DATA', reqIdAt: 0 },
  89: { name: 'CANCEL_HISTOGRAM_DATA', answer: 'silent' },
  91: { name: 'REQ_MARKET_RULE' },
  92: { name: 'REQ_PNL', reqIdAt: 0 },
  93: { name: 'CANCEL_PNL', answer: 'silent' },
  94: { name: 'REQ_PNL_SINGLE', reqIdAt: 0 },
  95: { name: 'CANCEL_PNL_SINGLE', answer: 'silent' },
  97: { name: 'REQ_TICK_BY_TICK_DATA', reqIdAt: 0 },
  98: { name: 'CANCEL_TICK_BY_TICK_DATA', answer: 'silent' },
  99: { name: 'REQ_COMPLETED_ORDERS', answer: emptyAccountAnswers.completedOrdersEnd },
  100: { name: 'REQ_WSH_META_DATA', reqIdAt: 0 },
  101: { name: 'CANCEL_WSH_META_DATA', answer: 'silent' },
  102: { name: 'REQ_WSH_EVENT_DATA', reqIdAt: 0 },
  103: { name: 'CANCEL_WSH_EVENT_DATA', answer: 'silent' },
  104: { name: 'REQ_USER_INFO', reqIdAt: 0 },
};

/** What to send for an unimplemented message. */
export type UnsupportedAnswer =
  | { readonly type: 'silent' }
  | { readonly type: 'reply'; readonly fields: WireField[] }
  | { readonly type: 'error'; readonly reqId: number; readonly code: number; readonly message: string };

/** The name the simulator gives a message id it does not implement (`UNKNOWN_<id>` if IB has none). */
export function unsupportedName(id: number): string {
  return UNSUPPORTED[id]?.name ?? `UNKNOWN_${id}`;
}

/** The answer to an unimplemented message (`fields`: the fields after the message id). */
export function answerUnsupported(id: number, fields: readonly string[]): UnsupportedAnswer {
  const entry = UNSUPPORTED[id];
  const parsed = entry?.reqIdAt === undefined ? Number.NaN : Number(fields[entry.reqIdAt]);
  const reqId = Number.isSafeInteger(parsed) ? parsed : -1;
  if (entry?.answer === 'silent') return { type: 'silent' };
  if (entry?.answer !== undefined) return { type: 'reply', fields: entry.answer(reqId) };
  const name = entry === undefined ? `message ${id}` : `${entry.name} (${id})`;
  return {
    type: 'error',
    reqId,
    code: NOT_IMPLEMENTED_CODE,
    message: `[ktrdr IB simulator] ${name} is not implemented by the simulator; see the @ktrdr/ib-sim README for what it serves.`,
  };
}

/** Every message id the simulator answers this way, for its README and tests. */
export const UNSUPPORTED_MESSAGE_IDS: readonly number[] = Object.keys(UNSUPPORTED).map(Number);
