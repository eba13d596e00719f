import type { Bar } from '../domain/bars';
import { BarFrame } from '../domain/bar-frame';
import { formatIsoUtc } from '../domain/dates';
import type { Timeframe } from '../domain/timeframes';
import { isPeriodTimeframe, redatePeriodBars } from '../calendar/period-bar-dates';
import type { TradingCalendar } from '../calendar/trading-calendar';
import type { CsvStore } from '../store/csv-store';

/**
 * Converts a stored weekly or monthly series written under the old convention (bars dated by the
 * first trading day of their week or month) to IB's (the last trading day), before a load reads or
 * extends it, so that old and new bars never mix in one file. The file is rewritten whole, in one
 * atomic save; a bar whose new date collides with a bar already dated so keeps the latter (fetched
 * under the new convention, so the newer one), and the message counts it.
 * @returns the message to show the user, or undefined when nothing needed converting.
 */
export async function migratePeriodDates(
  store: CsvStore,
  symbol: string,
  timeframe: Timeframe,
  options: { simulated: boolean; calendar: TradingCalendar; nowMs: number },
): Promise<string | undefined> {
  if (!isPeriodTimeframe(timeframe)) return undefined;
  const loaded = await store.loadIfExists(symbol, timeframe, { simulated: options.simulated });
  if (loaded === undefined || loaded.frame.length === 0) return undefined;
  const rows = loaded.frame.toRows();
  const { times, redated } = redatePeriodBars(
    loaded.frame.columns().time,
    timeframe,
    options.calendar,
    options.nowMs,
  );
  if (redated === 0) return undefined;
  const byTime = new Map<number, Bar>();
  rows.forEach((row, i) => {
    const time = times[i] as number;
    // A bar that kept its date wins over one moved onto it.
    if (time === row.time || !byTime.has(time)) byTime.set(time, { ...row, time });
  });
  const merged = rows.length - byTime.size;
  await store.save(symbol, timeframe, BarFrame.fromRows([...byTime.values()]), {
    simulated: options.simulated,
  });
  const unit = timeframe === '1w' ? 'week' : 'month';
  const first = loaded.frame.firstTime === undefined ? '' : ` from ${formatIsoUtc(loaded.frame.firstTime)}`;
  return (
    `${symbol} ${timeframe}: ${redated} stored bar(s)${first} were dated by the first trading day of their ${unit} ` +
    `(the old convention); they now carry the last trading day of the ${unit}, as IB dates them. ` +
    (merged > 0 ? `${merged} of them duplicated a bar already dated so, which was kept. ` : '') +
    'The file was rewritten whole; its prices are unchanged.'
  );
}
