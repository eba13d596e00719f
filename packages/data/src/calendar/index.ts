export type { DayStatus, Session, TradingDay, TradingCalendar } from './trading-calendar';
export { tradingDaysBetween, sessionsBetween, isTradingTime, memoiseTradingDays } from './trading-calendar';
export type { ZonedDateTime } from './time-zone';
export {
  assertTimeZone,
  zonedDateTime,
  zoneOffsetMs,
  zonedTimeToUtc,
  localDayNumber,
  localMidnightUtc,
} from './time-zone';
export type { MarketHoliday, MarketClosure } from './us-holidays';
export {
  US_MARKET_CLOSURES,
  usMarketHolidays,
  usMarketHolidayOn,
  usMarketClosureOn,
  isUsEarlyClose,
} from './us-holidays';
export type { StockHours, CalendarOptions } from './exchange-calendars';
export {
  usStockCalendar,
  forexCalendar,
  cmeFuturesCalendar,
  calendarForInstrument,
} from './exchange-calendars';
export type { ParsedTradingHours } from './trading-hours';
export { normaliseIbTimeZone, parseIbTradingHours, calendarFromTradingHours } from './trading-hours';
export type { SlotVisitor } from './bar-slots';
export { MAX_MATERIALISED_SLOTS, forEachExpectedSlot, expectedBarSlots, expectedBarTimes } from './bar-slots';
export type { PeriodTimeframe, PeriodRedating } from './period-bar-dates';
export {
  isPeriodTimeframe,
  periodDays,
  periodTradingDays,
  periodBarTime,
  redatePeriodBars,
} from './period-bar-dates';
