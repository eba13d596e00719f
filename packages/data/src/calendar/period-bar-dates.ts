import { DAY_MS, civilFromDays, daysFromCivil, weekdayOfDays } from '../domain/civil-date';
import type { Timeframe } from '../domain/timeframes';
import type { TradingCalendar } from './trading-calendar';

/**
 * Where weekly and monthly bars are dated. IB dates them by the **last** trading day they hold
 * (SPY, `1 M` of `1 week` bars ending Labor Day 2023: the last bar is dated `20230901`; the week
 * before Juneteenth 2026 is dated Thursday 18 June), and the week or month in progress by its latest
 * trading day so far. ktrdr stores them there too, at 00:00 UTC of that date, as it stores daily
 * bars. Evidence and reasoning: the IB simulator's README ("Weekly and monthly bar dates").
 *
 * A period here is a trading week (the Saturday-to-Friday span of dates, so Monday to Friday for
 * every market) or a calendar month, of trading dates.
 */

/** The timeframes whose bars span several trading days. */
export type PeriodTimeframe = '1w' | '1M';

/** True for `1w` and `1M`. */
export function isPeriodTimeframe(timeframe: Timeframe): timeframe is PeriodTimeframe {
  return timeframe === '1w' || timeframe === '1M';
}

/** The dates `[first, end)` (day numbers) of the period holding `day`. */
export function periodDays(timeframe: PeriodTimeframe, day: number): { first: number; end: number } {
  if (timeframe === '1w') {
    const first = day - ((weekdayOfDays(day) + 1) % 7); // back to Saturday
    return { first, end: first + 7 };
  }
  const { year, month } = civilFromDays(day);
  return {
    first: daysFromCivil(year, month, 1),
    end: month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1),
  };
}

/** The first and last open trading dates of the period holding `day`; undefined when none is open. */
export function periodTradingDays(
  calendar: TradingCalendar,
  timeframe: PeriodTimeframe,
  day: number,
): { first: number; last: number } | undefined {
  const { first, end } = periodDays(timeframe, day);
  let firstOpen: number | undefined;
  let lastOpen: number | undefined;
  for (let d = first; d < end; d++) {
    if (calendar.tradingDay(d).status !== 'open') continue;
    firstOpen ??= d;
    lastOpen = d;
  }
  return firstOpen === undefined || lastOpen === undefined ? undefined : { first: firstOpen, last: lastOpen };
}

/**
 * The time (UTC epoch ms, 00:00 of the date) IB gives the bar of the period holding `day`, as seen
 * before `endMs`: its last open trading date before `endMs` (the latest so far for a period in
 * progress). Undefined when the period has no open date before `endMs`.
 */
export function periodBarTime(
  calendar: TradingCalendar,
  timeframe: PeriodTimeframe,
  day: number,
  endMs = Number.POSITIVE_INFINITY,
): number | undefined {
  const { first, end } = periodDays(timeframe, day);
  for (let d = end - 1; d >= first; d--) {
    if (d * DAY_MS < endMs && calendar.tradingDay(d).status === 'open') return d * DAY_MS;
  }
  return undefined;
}

/** How {@link redatePeriodBars} changed a series. */
export interface PeriodRedating {
  /** New time of each input bar (epoch ms), in input order. */
  times: Float64Array;
  /** Bars moved from the first to the last trading day of their period. */
  redated: number;
}

/**
 * Moves weekly or monthly bars dated by the first trading day of their period (ktrdr's convention
 * before issue #20, and that of tools that label a week by its Monday) to the date IB gives them:
 * the period's last open date before `endMs` ({@link periodBarTime}). Bars already dated so, periods
 * with a single open date (both conventions agree) and dates that are no open trading day are left
 * as they are. Under the new convention a bar fetched on the first day of a week in progress is
 * dated by that day too: the last bar of a series whose other bars follow the new convention is
 * therefore left alone.
 */
export function redatePeriodBars(
  times: ArrayLike<number>,
  timeframe: PeriodTimeframe,
  calendar: TradingCalendar,
  endMs = Number.POSITIVE_INFINITY,
): PeriodRedating {
  const out = Float64Array.from(times);
  const firstDayBars: number[] = [];
  let lastDayBars = 0;
  for (let i = 0; i < out.length; i++) {
    const day = Math.floor((out[i] as number) / DAY_MS);
    const open = periodTradingDays(calendar, timeframe, day);
    if (open === undefined || open.first === open.last) continue;
    if (day === open.first) firstDayBars.push(i);
    else if (day === open.last) lastDayBars++;
  }
  const lastIndex = out.length - 1;
  const onlyTheLast = firstDayBars.length === 1 && firstDayBars[0] === lastIndex && lastDayBars > 0;
  if (onlyTheLast) return { times: out, redated: 0 };
  for (const i of firstDayBars) {
    const day = Math.floor((out[i] as number) / DAY_MS);
    out[i] = periodBarTime(calendar, timeframe, day, endMs) ?? (out[i] as number);
  }
  return { times: out, redated: firstDayBars.length };
}
