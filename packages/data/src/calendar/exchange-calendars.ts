import { civilFromDays, dateKeyOfDays, weekdayOfDays } from '../domain/civil-date';
import type { InstrumentType } from '../domain/symbols';
import { memoiseTradingDays, type Session, type TradingCalendar, type TradingDay } from './trading-calendar';
import { zonedTimeToUtc } from './time-zone';
import { isUsEarlyClose, usMarketClosureOn, usMarketHolidayOn } from './us-holidays';

/** Which hours of US stock trading count as sessions. */
export type StockHours = 'regular' | 'extended';

/** Options of {@link calendarForInstrument}. */
export interface CalendarOptions {
  /** Stocks only: regular hours 09:30-16:00 (default) or extended 04:00-20:00 New York. */
  hours?: StockHours;
}

const NEW_YORK = 'America/New_York';
const CHICAGO = 'America/Chicago';

type Clock = [hour: number, minute: number];

/** Non-trading status shared by the US calendars: weekend, then unscheduled closure, then holiday. */
function usClosedDay(dayNumber: number, year: number): Omit<TradingDay, 'sessions'> | undefined {
  const date = dateKeyOfDays(dayNumber);
  const weekday = weekdayOfDays(dayNumber);
  if (weekday === 0 || weekday === 6) return { date, dayNumber, status: 'weekend' };
  const closure = usMarketClosureOn(dayNumber);
  if (closure !== undefined) return { date, dayNumber, status: 'market_closure', name: closure };
  const holiday = usMarketHolidayOn(dayNumber, year);
  if (holiday !== undefined) return { date, dayNumber, status: 'holiday', name: holiday.name };
  return undefined;
}

function session(zone: string, dayNumber: number, from: Clock, to: Clock, toDayOffset = 0): Session {
  const a = civilFromDays(dayNumber);
  const b = civilFromDays(dayNumber + toDayOffset);
  return {
    start: zonedTimeToUtc(zone, a.year, a.month, a.day, from[0], from[1]),
    end: zonedTimeToUtc(zone, b.year, b.month, b.day, to[0], to[1]),
  };
}

/**
 * NYSE/Nasdaq stocks: Monday-Friday except exchange holidays and closures, 09:30-16:00 New York
 * (13:00 on early-close days), or with `extended` hours 04:00-20:00 (17:00 on early-close days).
 */
export function usStockCalendar(hours: StockHours = 'regular'): TradingCalendar {
  const tradingDay = memoiseTradingDays((dayNumber) => {
    const { year, month, day } = civilFromDays(dayNumber);
    const closed = usClosedDay(dayNumber, year);
    if (closed !== undefined) return { ...closed, sessions: [] };
    const early = isUsEarlyClose(dayNumber, year, month, day);
    const sessions =
      hours === 'regular'
        ? [session(NEW_YORK, dayNumber, [9, 30], early ? [13, 0] : [16, 0])]
        : [session(NEW_YORK, dayNumber, [4, 0], early ? [17, 0] : [20, 0])];
    return {
      date: dateKeyOfDays(dayNumber),
      dayNumber,
      status: 'open',
      ...(early ? { earlyClose: true } : {}),
      sessions,
    };
  });
  return { name: `us-stocks-${hours}`, timeZone: NEW_YORK, tradingDay };
}

/**
 * Forex (IB IDEALPRO): continuous from Sunday 17:00 to Friday 17:00 New York. The trading day
 * named D runs from D-1 17:00 to D 17:00, so Monday's session opens on Sunday evening. Christmas Day
 * and New Year's Day have no session (interbank liquidity vanishes and IB serves no bars).
 */
export function forexCalendar(): TradingCalendar {
  const tradingDay = memoiseTradingDays((dayNumber) => {
    const date = dateKeyOfDays(dayNumber);
    const weekday = weekdayOfDays(dayNumber);
    if (weekday === 0 || weekday === 6) return { date, dayNumber, status: 'weekend', sessions: [] };
    const { month, day } = civilFromDays(dayNumber);
    if ((month === 12 && day === 25) || (month === 1 && day === 1)) {
      const name = month === 12 ? 'Christmas Day' : "New Year's Day";
      return { date, dayNumber, status: 'holiday', name, sessions: [] };
    }
    return {
      date,
      dayNumber,
      status: 'open',
      sessions: [session(NEW_YORK, dayNumber - 1, [17, 0], [17, 0], 1)],
    };
  });
  return { name: 'forex', timeZone: NEW_YORK, tradingDay };
}

/**
 * CME Globex futures (equity index, energy, metals): the trading day named D runs from D-1 17:00 to
 * D 16:00 Chicago, Monday-Friday, leaving the daily 16:00-17:00 maintenance break. On US exchange
 * holidays the day is treated as closed: CME often trades a shortened session then, but its bars are
 * not worth a fetch, and treating them as expected keeps gap analysis from chasing them.
 */
export function cmeFuturesCalendar(): TradingCalendar {
  const tradingDay = memoiseTradingDays((dayNumber) => {
    const { year } = civilFromDays(dayNumber);
    const closed = usClosedDay(dayNumber, year);
    if (closed !== undefined) return { ...closed, sessions: [] };
    return {
      date: dateKeyOfDays(dayNumber),
      dayNumber,
      status: 'open',
      sessions: [session(CHICAGO, dayNumber - 1, [17, 0], [16, 0], 1)],
    };
  });
  return { name: 'cme-futures', timeZone: CHICAGO, tradingDay };
}

const shared = new Map<string, TradingCalendar>();

/**
 * The built-in calendar of an instrument type: `STK` US stocks, `CASH` forex, `FUT` CME futures.
 * Calendars are shared (they memoise their days), so call this freely.
 */
export function calendarForInstrument(type: InstrumentType, options: CalendarOptions = {}): TradingCalendar {
  const key = type === 'STK' ? `STK:${options.hours ?? 'regular'}` : type;
  let calendar = shared.get(key);
  if (calendar === undefined) {
    calendar =
      type === 'CASH'
        ? forexCalendar()
        : type === 'FUT'
          ? cmeFuturesCalendar()
          : usStockCalendar(options.hours);
    shared.set(key, calendar);
  }
  return calendar;
}
