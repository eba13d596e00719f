/**
 * Decodes client messages into typed requests. Layouts follow @stoqey/ib 1.6.10's encoder for server
 * versions 164..193 (see `dist/core/io/encoder.js`).
 */
import { FieldReader, MessageUnderrunError } from './field-reader';
import { IncomingMessageId } from './message-ids';

/** Server version from which reqContractDetails carries `issuerId` (MIN_SERVER_VER.BOND_ISSUERID). */
const BOND_ISSUERID = 176;

/** The contract fields a client sends with data requests. */
export interface WireContract {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly lastTradeDateOrContractMonth: string;
  readonly strike: number;
  readonly right: string;
  readonly multiplier: string;
  readonly exchange: string;
  readonly primaryExch: string;
  readonly currency: string;
  readonly localSymbol: string;
  readonly tradingClass: string;
  readonly includeExpired: boolean;
}

/** START_API `[71, 2, clientId, optionalCapabilities]`. */
export interface StartApiMessage {
  readonly kind: 'start-api';
  readonly clientId: number;
  readonly optionalCapabilities: string;
}

/** REQ_HISTORICAL_DATA (20). */
export interface HistoricalDataRequest {
  readonly kind: 'historical-data';
  readonly reqId: number;
  readonly contract: WireContract;
  readonly endDateTime: string;
  readonly barSize: string;
  readonly duration: string;
  readonly useRth: boolean;
  readonly whatToShow: string;
  readonly formatDate: number;
  readonly keepUpToDate: boolean;
}

/** CANCEL_HISTORICAL_DATA (25). */
export interface CancelHistoricalDataRequest {
  readonly kind: 'cancel-historical-data';
  readonly reqId: number;
}

/** REQ_HEAD_TIMESTAMP (87). */
export interface HeadTimestampRequest {
  readonly kind: 'head-timestamp';
  readonly reqId: number;
  readonly contract: WireContract;
  readonly useRth: boolean;
  readonly whatToShow: string;
  readonly formatDate: number;
}

/** CANCEL_HEAD_TIMESTAMP (90). */
export interface CancelHeadTimestampRequest {
  readonly kind: 'cancel-head-timestamp';
  readonly reqId: number;
}

/** REQ_CONTRACT_DATA (9). */
export interface ContractDetailsRequest {
  readonly kind: 'contract-details';
  readonly reqId: number;
  readonly contract: WireContract;
  readonly secIdType: string;
  readonly secId: string;
}

/** REQ_CURRENT_TIME (49). */
export interface CurrentTimeRequest {
  readonly kind: 'current-time';
}

/** REQ_IDS (8). */
export interface ReqIdsRequest {
  readonly kind: 'req-ids';
  readonly numIds: number;
}

/** REQ_MANAGED_ACCTS (17). */
export interface ManagedAccountsRequest {
  readonly kind: 'managed-accounts';
}

/** SET_SERVER_LOGLEVEL (14): accepted and ignored, as the simulator has no server log. */
export interface SetLogLevelRequest {
  readonly kind: 'set-log-level';
  readonly level: number;
}

/** REQ_MATCHING_SYMBOLS (81): `81, reqId, pattern`. */
export interface MatchingSymbolsRequest {
  readonly kind: 'matching-symbols';
  readonly reqId: number;
  readonly pattern: string;
}

/** REQ_SEC_DEF_OPT_PARAMS (78): `78, reqId, underlyingSymbol, futFopExchange, underlyingSecType, underlyingConId`. */
export interface SecDefOptParamsRequest {
  readonly kind: 'sec-def-opt-params';
  readonly reqId: number;
  readonly underlyingSymbol: string;
  readonly underlyingSecType: string;
  readonly underlyingConId: number;
}

/** REQ_HISTORICAL_TICKS (96). */
export interface HistoricalTicksRequest {
  readonly kind: 'historical-ticks';
  readonly reqId: number;
  readonly contract: WireContract;
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly numberOfTicks: number;
  readonly whatToShow: string;
  readonly useRth: boolean;
  readonly ignoreSize: boolean;
}

/**
 * Any message id the simulator does not implement, with its fields after the id, so the session can
 * still answer it (see `unsupported-requests.ts`) instead of leaving the client waiting.
 */
export interface UnknownMessage {
  readonly kind: 'unknown';
  readonly id: number;
  readonly fields: readonly string[];
}

/** A known message whose fields did not match its layout. */
export interface MalformedMessage {
  readonly kind: 'malformed';
  readonly id: number;
  readonly reason: string;
}

/** Every decoded client message. */
export type ClientMessage =
  | StartApiMessage
  | HistoricalDataRequest
  | CancelHistoricalDataRequest
  | HeadTimestampRequest
  | CancelHeadTimestampRequest
  | ContractDetailsRequest
  | CurrentTimeRequest
  | ReqIdsRequest
  | ManagedAccountsRequest
  | SetLogLevelRequest
  | MatchingSymbolsRequest
  | HistoricalTicksRequest
  | SecDefOptParamsRequest
  | UnknownMessage
  | MalformedMessage;

function readContract(reader: FieldReader): WireContract {
  return {
    conId: reader.int('conId'),
    symbol: reader.str('symbol'),
    secType: reader.str('secType'),
    lastTradeDateOrContractMonth: reader.str('lastTradeDateOrContractMonth'),
    strike: reader.float('strike'),
    right: reader.str('right'),
    multiplier: reader.str('multiplier'),
    exchange: reader.str('exchange'),
    primaryExch: reader.str('primaryExch'),
    currency: reader.str('currency'),
    localSymbol: reader.str('localSymbol'),
    tradingClass: reader.str('tradingClass'),
    includeExpired: reader.bool('includeExpired'),
  };
}

function decodeHistoricalData(reader: FieldReader): HistoricalDataRequest {
  // No version field at server version >= 124 (SYNT_REALTIME_BARS); endDateTime precedes bar size.
  const reqId = reader.int('reqId');
  const contract = readContract(reader);
  const endDateTime = reader.str('endDateTime');
  const barSize = reader.str('barSizeSetting');
  const duration = reader.str('durationStr');
  const useRth = reader.bool('useRTH');
  const whatToShow = reader.str('whatToShow');
  const formatDate = reader.int('formatDate');
  if (contract.secType.toUpperCase() === 'BAG') {
    const legs = reader.int('comboLegsCount');
    for (let leg = 0; leg < legs; leg += 1) {
      reader.str('legConId');
      reader.str('legRatio');
      reader.str('legAction');
      reader.str('legExchange');
    }
  }
  const keepUpToDate = reader.bool('keepUpToDate');
  reader.optionalStr(); // chartOptions: always empty for historical bars
  return {
    kind: 'historical-data',
    reqId,
    contract,
    endDateTime,
    barSize,
    duration,
    useRth,
    whatToShow,
    formatDate,
    keepUpToDate,
  };
}

function decodeContractDetails(reader: FieldReader, serverVersion: number): ContractDetailsRequest {
  reader.int('version');
  const reqId = reader.int('reqId');
  const contract = readContract(reader);
  const secIdType = reader.str('secIdType');
  const secId = reader.str('secId');
  if (serverVersion >= BOND_ISSUERID) reader.str('issuerId');
  return { kind: 'contract-details', reqId, contract, secIdType, secId };
}

function decodeHistoricalTicks(reader: FieldReader): HistoricalTicksRequest {
  const reqId = reader.int('reqId');
  const contract = readContract(reader);
  const startDateTime = reader.str('startDateTime');
  const endDateTime = reader.str('endDateTime');
  const numberOfTicks = reader.int('numberOfTicks');
  const whatToShow = reader.str('whatToShow');
  const useRth = reader.bool('useRth');
  const ignoreSize = reader.optionalStr() === '1';
  reader.optionalStr(); // miscOptions
  return {
    kind: 'historical-ticks',
    reqId,
    contract,
    startDateTime,
    endDateTime,
    numberOfTicks,
    whatToShow,
    useRth,
    ignoreSize,
  };
}

function decodeKnown(
  id: number,
  reader: FieldReader,
  serverVersion: number,
  fields: readonly string[],
): ClientMessage {
  switch (id) {
    case IncomingMessageId.START_API:
      reader.int('version');
      return {
        kind: 'start-api',
        clientId: reader.int('clientId'),
        optionalCapabilities: reader.optionalStr(),
      };
    case IncomingMessageId.REQ_HISTORICAL_DATA:
      return decodeHistoricalData(reader);
    case IncomingMessageId.CANCEL_HISTORICAL_DATA:
      reader.int('version');
      return { kind: 'cancel-historical-data', reqId: reader.int('reqId') };
    case IncomingMessageId.REQ_HEAD_TIMESTAMP: {
      const reqId = reader.int('reqId');
      const contract = readContract(reader);
      const useRth = reader.bool('useRTH');
      const whatToShow = reader.str('whatToShow');
      const formatDate = reader.int('formatDate');
      return { kind: 'head-timestamp', reqId, contract, useRth, whatToShow, formatDate };
    }
    case IncomingMessageId.CANCEL_HEAD_TIMESTAMP:
      return { kind: 'cancel-head-timestamp', reqId: reader.int('reqId') };
    case IncomingMessageId.REQ_CONTRACT_DATA:
      return decodeContractDetails(reader, serverVersion);
    case IncomingMessageId.REQ_CURRENT_TIME:
      return { kind: 'current-time' };
    case IncomingMessageId.REQ_IDS:
      reader.int('version');
      return { kind: 'req-ids', numIds: reader.int('numIds') };
    case IncomingMessageId.REQ_MANAGED_ACCTS:
      return { kind: 'managed-accounts' };
    case IncomingMessageId.SET_SERVER_LOGLEVEL:
      reader.int('version');
      return { kind: 'set-log-level', level: reader.int('logLevel') };
    case IncomingMessageId.REQ_MATCHING_SYMBOLS:
      return { kind: 'matching-symbols', reqId: reader.int('reqId'), pattern: reader.optionalStr() };
    case IncomingMessageId.REQ_HISTORICAL_TICKS:
      return decodeHistoricalTicks(reader);
    case IncomingMessageId.REQ_SEC_DEF_OPT_PARAMS: {
      const reqId = reader.int('reqId');
      const underlyingSymbol = reader.str('underlyingSymbol');
      reader.str('futFopExchange');
      const underlyingSecType = reader.str('underlyingSecType');
      const underlyingConId = Number(reader.optionalStr('0')) || 0;
      return { kind: 'sec-def-opt-params', reqId, underlyingSymbol, underlyingSecType, underlyingConId };
    }
    default:
      return { kind: 'unknown', id, fields: fields.slice(1) };
  }
}

/**
 * Decodes one client message from its fields (the first field is the message id). Never throws:
 * a malformed message is reported as `malformed` so one bad client message cannot crash the server.
 */
export function decodeClientMessage(fields: readonly string[], serverVersion: number): ClientMessage {
  const reader = new FieldReader(fields);
  let id = -1;
  try {
    id = reader.int('messageId');
    return decodeKnown(id, reader, serverVersion, fields);
  } catch (error) {
    if (error instanceof MessageUnderrunError) return { kind: 'malformed', id, reason: error.message };
    throw error;
  }
}
