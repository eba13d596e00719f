/**
 * NYSE holiday and early-close rules, computed rather than listed so that any year works.
 * Covers the regular rules only; one-off closures (e.g. 2001-09-11, 2012 hurricane Sandy, national
 * days of mourning) are not simulated.
 */
import { civilFromDays, daysFromCivil, lastWeekdayOfMonth, nthWeekdayOfMonth, weekdayOf } from './civil-date';

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const FRIDAY = 5;
const SATURDAY = 6;

/** Easter Sunday (Anonymous Gregorian algorithm), as a day number. */
export function easterSunday(year: number): number {
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

/** A fixed-date holiday moved to Friday when it falls on Saturday and to Monday when on Sunday. */
function observed(dayNumber: number): number {
  const weekday = weekdayOf(dayNumber);
  if (weekday === SATURDAY) return dayNumber - 1;
  if (weekday === SUNDAY) return dayNumber + 1;
  return dayNumber;
}

const holidayCache = new Map<number, ReadonlySet<number>>();

/** NYSE full-day holidays of a year, as day numbers. */
export function nyseHolidays(year: number): ReadonlySet<number> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const days = new Set<number>();
  // New Year's Day: a Saturday New Year is NOT moved to Friday Dec 31 (NYSE Rule 7.2).
  const newYear = daysFromCivil(year, 1, 1);
  if (weekdayOf(newYear) !== SATURDAY) days.add(observed(newYear));
  if (year >= 1998) days.add(nthWeekdayOfMonth(year, 1, MONDAY, 3)); // Martin Luther King Jr. Day
  days.add(nthWeekdayOfMonth(year, 2, MONDAY, 3)); // Washington's Birthday
  days.add(easterSunday(year) - 2); // Good Friday
  days.add(lastWeekdayOfMonth(year, 5, MONDAY)); // Memorial Day
  if (year >= 2022) days.add(observed(daysFromCivil(year, 6, 19))); // Juneteenth
  days.add(observed(daysFromCivil(year, 7, 4))); // Independence Day
  days.add(nthWeekdayOfMonth(year, 9, MONDAY, 1)); // Labor Day
  days.add(nthWeekdayOfMonth(year, 11, THURSDAY, 4)); // Thanksgiving
  days.add(observed(daysFromCivil(year, 12, 25))); // Christmas
  holidayCache.set(year, days);
  return days;
}

/** Whether a day number is an NYSE full-day holiday. */
export function isNyseHoliday(dayNumber: number): boolean {
  // Observed dates never leave their year (a Saturday New Year is not observed), so the day's own
  // year holds every holiday that can fall on it.
  return nyseHolidays(civilFromDays(dayNumber).year).has(dayNumber);
}

/** Whether US equities trade on a day: a weekday that is not an NYSE holiday. */
export function isNyseTradingDay(dayNumber: number): boolean {
  return isWeekday(dayNumber) && !isNyseHoliday(dayNumber);
}

/**
 * Whether the NYSE closes early (13:00 New York) on a day: July 3 and December 24 when they are
 * Monday-Thursday trading days, and the day after Thanksgiving.
 */
export function isNyseEarlyClose(dayNumber: number): boolean {
  if (!isNyseTradingDay(dayNumber)) return false;
  const { year } = civilFromDays(dayNumber);
  if (dayNumber === nthWeekdayOfMonth(year, 11, THURSDAY, 4) + 1) return true;
  const weekday = weekdayOf(dayNumber);
  const mondayToThursday = weekday >= MONDAY && weekday <= THURSDAY;
  return (
    mondayToThursday && (dayNumber === daysFromCivil(year, 7, 3) || dayNumber === daysFromCivil(year, 12, 24))
  );
}

/** Whether a weekday is Monday-Friday. */
export function isWeekday(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday >= MONDAY && weekday <= FRIDAY;
}
