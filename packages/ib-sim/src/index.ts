/**
 * @ktrdr/ib-sim: a protocol-level IB Gateway simulator. It speaks the TWS API wire protocol over
 * real TCP so unmodified IB clients (e.g. @stoqey/ib) can be tested without an IB account.
 */
export { startIbSimulator } from './simulator';
export type { IbSimulator, ConnectivityInterruption, ConnectivityRestore } from './simulator';
export { resolveOptions } from './options';
export type { IbSimulatorOptions, ResolvedOptions } from './options';
export { IB_SIM_ACCOUNT_ID, IB_SIM_ACCOUNT_PREFIX } from './identity';
export { DEFAULT_UNIVERSE, Universe } from './market/universe';
export { createInstrument } from './market/instrument';
export type { Instrument, InstrumentInput, PriceModel, SimSecType } from './market/instrument';
export type { SessionKind } from './market/sessions';
export { parseBarsCsv, readBarsCsvFile } from './market/csv-fixtures';
export type { FixtureBar } from './market/csv-fixtures';
export { BAR_SIZE_SETTINGS } from './market/bar-sizes';
export { nyseHolidays, isNyseTradingDay, isNyseEarlyClose } from './market/calendar';
export type {
  IbSimulatorFaults,
  ScriptedFault,
  ScriptedFaultAction,
  ScriptedFaultMatch,
} from './server/faults';
export type { LatencySpec } from './server/latency';
export { parseLatencyArgument } from './server/latency';
export type { PacingMode, PacingRule } from './server/pacing';
export { PACING_LIMITS } from './server/pacing';
export type { DurationLimitProfile } from './server/duration-limits';
export { PRACTICAL_MAX_DURATION_SECONDS } from './server/duration-limits';
export { DEFAULT_SOFT_PACING } from './server/soft-pacing';
export type { SoftPacingModel } from './server/soft-pacing';
export type { SimRequestInfo, SimRequestKind } from './server/request-info';
export type { IbSimulatorStats, ReceivedMessage } from './server/stats';
export { IbErrorCode, IbErrorText } from './protocol/error-messages';
export { MAX_SUPPORTED_SERVER_VERSION, MIN_SUPPORTED_SERVER_VERSION } from './protocol/handshake';
