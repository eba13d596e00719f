/** A market's year: trading days, and hours per trading day. */
export interface TradingYear {
  readonly daysPerYear: number;
  readonly hoursPerDay: number;
}

/** US stocks: 252 sessions of 6.5 hours (regular hours). */
export const STOCK_YEAR: TradingYear = { daysPerYear: 252, hoursPerDay: 6.5 };
/** Forex: 24 hours, 5 days a week, 52 weeks. */
export const FOREX_YEAR: TradingYear = { daysPerYear: 260, hoursPerDay: 24 };
/** CME futures: 23 hours a day, 252 sessions. */
export const FUTURES_YEAR: TradingYear = { daysPerYear: 252, hoursPerDay: 23 };

const DAY_MS = 86_400_000;

/** The trading year of an IB security type (`STK`, `CASH`, `FUT`). */
export function tradingYearOf(instrumentType: string): TradingYear {
  return instrumentType === 'CASH' ? FOREX_YEAR : instrumentType === 'FUT' ? FUTURES_YEAR : STOCK_YEAR;
}

/**
 * Bars in a trading year, for the `standard` metrics: intraday bars per session (a partial last bar
 * counts, as IB stamps one: 6.5 hours are 7 hourly bars) times sessions per year; a daily bar is one
 * session; weekly and monthly bars are 52 and 12 a year.
 */
export function periodsPerYear(barMs: number, year: TradingYear): number {
  if (barMs >= 28 * DAY_MS) return 12;
  if (barMs >= 7 * DAY_MS) return 52;
  if (barMs >= DAY_MS) return year.daysPerYear;
  return year.daysPerYear * Math.ceil((year.hoursPerDay * 3_600_000) / barMs - 1e-9);
}
