/**
 * Error codes and texts the simulator sends, worded as IB Gateway words them where the wording is
 * known (pacing, no data, cancelled, 200, 321 bar size, 326, 366, 1100-1102, 2104/2106/2158, 2174,
 * 10314). Where IB's exact text is not documented the text says plainly what was wrong.
 */
import { BAR_SIZE_SETTINGS } from '../market/bar-sizes';

/** Codes used by the simulator. */
export const IbErrorCode = {
  HISTORICAL_DATA_ERROR: 162,
  NO_SECURITY_DEFINITION: 200,
  INVALID_REQUEST: 321,
  DUPLICATE_CLIENT_ID: 326,
  NO_HISTORICAL_QUERY: 366,
  CONNECTIVITY_LOST: 1100,
  CONNECTIVITY_RESTORED_DATA_LOST: 1101,
  CONNECTIVITY_RESTORED_DATA_MAINTAINED: 1102,
  MARKET_DATA_FARM_OK: 2104,
  HMDS_FARM_OK: 2106,
  SEC_DEF_FARM_OK: 2158,
  NO_EXPLICIT_TIME_ZONE: 2174,
  INVALID_END_DATE_TIME: 10314,
} as const;

const HMDS = 'Historical Market Data Service error message:';

/** Texts, by situation. */
export const IbErrorText = {
  pacingViolation: `${HMDS}Historical data request pacing violation`,
  timeLengthExceeded: `${HMDS}Time length exceed max.`,
  noData: (symbol: string, exchange: string, whatToShow: string): string =>
    `${HMDS}HMDS query returned no data: ${symbol}@${exchange} ${whatToShow.charAt(0)}${whatToShow.slice(1).toLowerCase()}`,
  queryCancelled: (reqId: number): string => `${HMDS}API historical data query cancelled: ${reqId}`,
  noSecurityDefinition: 'No security definition has been found for the request',
  ambiguousContract: (symbol: string): string =>
    `The contract description specified for ${symbol} is ambiguous.`,
  invalidBarSize: `Error validating request.-'bK' : cause - Historical data bar size setting is invalid. Legal ones are: ${BAR_SIZE_SETTINGS.slice(0, -2).join(', ')}, 1W, 1M`,
  invalidDuration: (duration: string): string =>
    `Error validating request.-'bX' : cause - Historical data query duration "${duration}" is invalid. Format is '<integer> <unit>' with unit S, D, W, M or Y`,
  invalidWhatToShow: (whatToShow: string): string =>
    `Error validating request.-'bX' : cause - Historical data whatToShow "${whatToShow}" is not supported. Use TRADES, MIDPOINT, BID, ASK, BID_ASK or ADJUSTED_LAST`,
  keepUpToDateWithEndDate: `Error validating request.-'bX' : cause - End date not supported with live updates`,
  noHistoricalQuery: (reqId: number): string => `No historical data query found for ticker id:${reqId}`,
  duplicateClientId: 'Unable to connect as the client id is already in use. Retry with a unique client id.',
  connectivityLost: 'Connectivity between IB and Trader Workstation has been lost.',
  connectivityRestoredDataLost:
    'Connectivity between IB and Trader Workstation has been restored - data lost.',
  connectivityRestoredDataMaintained:
    'Connectivity between IB and Trader Workstation has been restored - data maintained.',
  marketDataFarmOk: 'Market data farm connection is OK:usfarm',
  hmdsFarmOk: 'HMDS data farm connection is OK:ushmds',
  secDefFarmOk: 'Sec-def data farm connection is OK:secdefnj',
  noExplicitTimeZone:
    'Warning: You submitted request with date-time attributes without explicit time zone. Please switch to use yyyymmdd-hh:mm:ss in UTC or use instrument time zone, like US/Eastern.',
  invalidEndDateTime:
    'End Date/Time: The date, time, or time-zone entered is invalid. The correct format is yyyymmdd hh:mm:ss xx/xxx where yyyymmdd and xx/xxx are optional. E.g.: 20031126 15:59:00 US/Eastern',
} as const;
