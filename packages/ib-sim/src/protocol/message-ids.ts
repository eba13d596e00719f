/**
 * TWS API message ids, as numbered by IB (see @stoqey/ib's `OUT_MSG_ID` / `IN_MSG_ID`).
 * Named from the simulator's point of view: "incoming" is what a client sends, "outgoing" what the
 * simulator answers.
 */

/** Message ids a client sends that the simulator understands. */
export const IncomingMessageId = {
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  SET_SERVER_LOGLEVEL: 14,
  REQ_MANAGED_ACCTS: 17,
  REQ_HISTORICAL_DATA: 20,
  CANCEL_HISTORICAL_DATA: 25,
  REQ_CURRENT_TIME: 49,
  START_API: 71,
  REQ_SEC_DEF_OPT_PARAMS: 78,
  REQ_MATCHING_SYMBOLS: 81,
  REQ_HEAD_TIMESTAMP: 87,
  CANCEL_HEAD_TIMESTAMP: 90,
  REQ_HISTORICAL_TICKS: 96,
} as const;

/** Message ids the simulator sends. */
export const OutgoingMessageId = {
  ERR_MSG: 4,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  MANAGED_ACCTS: 15,
  HISTORICAL_DATA: 17,
  BOND_CONTRACT_DATA: 18,
  CURRENT_TIME: 49,
  CONTRACT_DATA_END: 52,
  OPEN_ORDER_END: 53,
  EXECUTION_DATA_END: 55,
  POSITION_END: 62,
  ACCOUNT_SUMMARY_END: 64,
  SECURITY_DEFINITION_OPTION_PARAMETER: 75,
  SECURITY_DEFINITION_OPTION_PARAMETER_END: 76,
  SYMBOL_SAMPLES: 79,
  HEAD_TIMESTAMP: 88,
  HISTORICAL_DATA_UPDATE: 90,
  HISTORICAL_TICKS: 96,
  HISTORICAL_TICKS_BID_ASK: 97,
  HISTORICAL_TICKS_LAST: 98,
  COMPLETED_ORDERS_END: 102,
} as const;

const incomingNames = new Map<number, string>(
  Object.entries(IncomingMessageId).map(([name, id]) => [id, name] as const),
);

/**
 * Human-readable name of a client message id, for the message record.
 * Ids the simulator does not handle are named `UNKNOWN_<id>` so a test can still assert on them.
 */
export function incomingMessageName(id: number): string {
  return incomingNames.get(id) ?? `UNKNOWN_${id}`;
}
