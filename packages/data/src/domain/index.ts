export { TIMEFRAMES, TIMEFRAME_SPECS, isTimeframe, parseTimeframe, maxRequestMs } from './timeframes';
export type { Timeframe, TimeframeSpec } from './timeframes';
export {
  INSTRUMENT_TYPES,
  MAX_SYMBOL_LENGTH,
  parseSymbol,
  isForexSymbol,
  splitForexPair,
  detectInstrumentType,
  parseInstrumentType,
} from './symbols';
export type { InstrumentType, ParsedSymbol } from './symbols';
export { BAR_FIELDS, PRICE_VOLUME_FIELDS } from './bars';
export type { Bar, BarColumns, BarColumnsInput, BarField } from './bars';
export { BarFrame } from './bar-frame';
export type { BarFrameJson, BarJson } from './bar-frame';
export type { BarDisplayOptions, BarFrameInfo } from './bar-frame-display';
export { formatIsoUtc, toEpochMs } from './dates';
export type { DateInput, EpochMs } from './dates';
export {
  DAY_MS,
  daysFromCivil,
  civilFromDays,
  weekdayOfDays,
  daysInMonth,
  dateKeyOfDays,
} from './civil-date';
export type { CivilDate } from './civil-date';
