import type { Bar } from '../domain/bars';
import { BarFrame } from '../domain/bar-frame';
import { formatIsoUtc } from '../domain/dates';
import type { Timeframe } from '../domain/timeframes';
import { isPeriodTimeframe, type PeriodTimeframe, redatePeriodBars } from '../calendar/period-bar-dates';
import type { TradingCalendar } from '../calendar/trading-calendar';
import type { CsvStore } from '../store/csv-store';
import type { StoreWarning } from '../store/store-warning';

/**
 * Converts a stored weekly or monthly series written under the old convention (bars dated by the
 * first trading day of their week or month) to IB's (the last trading day), before a load reads or
 * extends it, so that old and new bars never mix in one file. A lock-free read first checks whether
 * anything needs converting (nearly always not); the conversion itself re-reads and rewrites the file
 * under the series' lock ({@link CsvStore.rewriteUnderLock}), so a load writing the series from
 * another process meanwhile loses no bar. A bar whose new date collides with a bar already dated so
 * keeps the latter (fetched under the new convention, so the newer one), and the message counts it.
 * @returns the message to show the user, or undefined when nothing needed converting.
 */
export async function migratePeriodDates(
  store: CsvStore,
  symbol: string,
  timeframe: Timeframe,
  options: {
    simulated: boolean;
    calendar: TradingCalendar;
    nowMs: number;
    /** Receives the store's warnings (then not emitted as process warnings); default: the store's `onWarning`. */
    warnings?: StoreWarning[];
  },
): Promise<string | undefined> {
  if (!isPeriodTimeframe(timeframe)) return undefined;
  const series = { simulated: options.simulated, returnWarnings: options.warnings !== undefined };
  const loaded = await store.loadIfExists(symbol, timeframe, series);
  options.warnings?.push(...(loaded?.warnings ?? []));
  if (loaded === undefined || redate(loaded.frame, timeframe, options) === undefined) return undefined;
  let converted: Redated | undefined;
  let firstTime: number | undefined;
  await store.rewriteUnderLock(
    symbol,
    timeframe,
    (frame) => {
      converted = redate(frame, timeframe, options);
      firstTime = frame.firstTime;
      return converted?.frame;
    },
    series,
  );
  if (converted === undefined) return undefined; // another process converted it meanwhile
  const unit = timeframe === '1w' ? 'week' : 'month';
  const first = firstTime === undefined ? '' : ` from ${formatIsoUtc(firstTime)}`;
  return (
    `${symbol} ${timeframe}: ${converted.redated} stored bar(s)${first} were dated by the first trading day of their ${unit} ` +
    `(the old convention); they now carry the last trading day of the ${unit}, as IB dates them. ` +
    (converted.merged > 0
      ? `${converted.merged} of them duplicated a bar already dated so, which was kept. `
      : '') +
    'The file was rewritten whole; its prices are unchanged.'
  );
}

interface Redated {
  frame: BarFrame;
  /** Bars whose date moved. */
  redated: number;
  /** Moved bars dropped because a bar already carried their new date. */
  merged: number;
}

/** `frame` with every bar at IB's date for its period; undefined when no bar moves. */
function redate(
  frame: BarFrame,
  timeframe: PeriodTimeframe,
  options: { calendar: TradingCalendar; nowMs: number },
): Redated | undefined {
  if (frame.length === 0) return undefined;
  const rows = frame.toRows();
  const { times, redated } = redatePeriodBars(
    frame.columns().time,
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
  return { frame: BarFrame.fromRows([...byTime.values()]), redated, merged: rows.length - byTime.size };
}
