import { daysFromCivil, dateKeyOfDays, weekdayOfDays } from '../domain/civil-date';

/** A day the US exchanges (NYSE/Nasdaq) are shut for a scheduled holiday. */
export interface MarketHoliday {
  /** The day the market is closed, `YYYY-MM-DD`. */
  date: string;
  /** Days since 1970-01-01 of `date`. */
  dayNumber: number;
  name: string;
  /** True when the holiday fell on a weekend and is observed on this neighbouring weekday. */
  observed: boolean;
}

/** An unscheduled closure of the US markets (storms, national days of mourning). */
export interface MarketClosure {
  date: string;
  name: string;
}

/**
 * Unscheduled full-day closures of the US stock markets since 1985. They are not computable, so
 * they are listed; gap analysis reports missing bars on them as `market_closure`.
 */
export const US_MARKET_CLOSURES: readonly MarketClosure[] = Object.freeze([
  { date: '1985-09-27', name: 'Hurricane Gloria' },
  { date: '1994-04-27', name: 'Funeral of President Nixon' },
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'Funeral of President Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for President Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for President George H. W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for President Carter' },
]);

const closuresByDay = new Map<number, string>(
  US_MARKET_CLOSURES.map((c) => [
    daysFromCivil(+c.date.slice(0, 4), +c.date.slice(5, 7), +c.date.slice(8, 10)),
    c.name,
  ]),
);

/** Name of the unscheduled US market closure on `dayNumber`, if any. */
export function usMarketClosureOn(dayNumber: number): string | undefined {
  return closuresByDay.get(dayNumber);
}

const holidaysByYear = new Map<number, MarketHoliday[]>();

/**
 * The NYSE holiday calendar of `year`, computed from the exchange's rules (valid from 1998, when
 * Martin Luther King Jr. Day was added): a holiday on Saturday is observed the Friday before, on
 * Sunday the Monday after, except New Year's Day, which NYSE does not move back into December.
 * Juneteenth counts from 2022, its first year as an exchange holiday.
 */
export function usMarketHolidays(year: number): readonly MarketHoliday[] {
  let holidays = holidaysByYear.get(year);
  if (holidays === undefined) {
    holidays = computeHolidays(year);
    holidaysByYear.set(year, holidays);
  }
  return holidays;
}

/** The NYSE holiday on `dayNumber`, if any. */
export function usMarketHolidayOn(dayNumber: number, year: number): MarketHoliday | undefined {
  return usMarketHolidays(year).find((h) => h.dayNumber === dayNumber);
}

/**
 * True when the US stock markets close early (13:00 New York) on `dayNumber`: the day after
 * Thanksgiving, and July 3 and December 24 when they fall Monday-Thursday.
 */
export function isUsEarlyClose(dayNumber: number, year: number, month: number, day: number): boolean {
  const weekday = weekdayOfDays(dayNumber);
  if ((month === 7 && day === 3) || (month === 12 && day === 24)) return weekday >= 1 && weekday <= 4;
  if (month === 11 && weekday === 5) return nthWeekday(year, 11, 4, 4) + 1 === dayNumber;
  return false;
}

function computeHolidays(year: number): MarketHoliday[] {
  const list: MarketHoliday[] = [];
  const add = (dayNumber: number, name: string, observed = false): void => {
    list.push({ date: dateKeyOfDays(dayNumber), dayNumber, name, observed });
  };
  const addFixed = (month: number, day: number, name: string, allowFriday = true): void => {
    const actual = daysFromCivil(year, month, day);
    const weekday = weekdayOfDays(actual);
    if (weekday === 6) {
      if (allowFriday) add(actual - 1, name, true);
    } else if (weekday === 0) add(actual + 1, name, true);
    else add(actual, name);
  };

  addFixed(1, 1, "New Year's Day", false);
  if (year >= 1998) add(nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day');
  add(nthWeekday(year, 2, 1, 3), "Washington's Birthday");
  add(easterSunday(year) - 2, 'Good Friday');
  add(lastWeekday(year, 5, 1), 'Memorial Day');
  if (year >= 2022) addFixed(6, 19, 'Juneteenth National Independence Day');
  addFixed(7, 4, 'Independence Day');
  add(nthWeekday(year, 9, 1, 1), 'Labor Day');
  add(nthWeekday(year, 11, 4, 4), 'Thanksgiving Day');
  addFixed(12, 25, 'Christmas Day');
  return list.sort((a, b) => a.dayNumber - b.dayNumber);
}

/** Day number of the `n`th `weekday` (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = daysFromCivil(year, month, 1);
  return first + ((weekday - weekdayOfDays(first) + 7) % 7) + (n - 1) * 7;
}

/** Day number of the last `weekday` of a month. */
function lastWeekday(year: number, month: number, weekday: number): number {
  const last = daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1;
  return last - ((weekdayOfDays(last) - weekday + 7) % 7);
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}
