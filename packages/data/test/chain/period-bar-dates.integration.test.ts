/**
 * Weekly and monthly bars end to end: the data layer expects them where IB dates them (the last
 * trading day of the week or month), loads them from the simulator without gaps or duplicates, and
 * converts a file written under the old first-trading-day convention on the next load, saying so.
 */
import type { IbSimulator } from '@ktrdr/ib-sim';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usStockCalendar } from '../../src/calendar/exchange-calendars';
import { periodTradingDays, redatePeriodBars } from '../../src/calendar/period-bar-dates';
import { BarFrame } from '../../src/domain/bar-frame';
import { formatIsoUtc } from '../../src/domain/dates';
import type { Timeframe } from '../../src/domain/timeframes';
import { analyzeGaps } from '../../src/gaps/gap-analysis';
import { DataService } from '../../src/service/data-service';
import { Closer, configFor, ibAdapter, rowsOf, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

const DAY_MS = 86_400_000;
const stocks = usStockCalendar();
const day = (iso: string): string => iso.slice(0, 10);
const dates = (frame: BarFrame): string[] => Array.from(frame.columns().time, (t) => day(formatIsoUtc(t)));

function service(sim: IbSimulator, dataDir: string): DataService {
  const config = configFor(sim, dataDir);
  return closer.add(
    new DataService({ config, adapter: ibAdapter(closer, config.ib), manager: { retryBaseMs: 20 } }),
    (s) => s.close(),
  );
}

/** The frame with every bar moved to the first trading day of its period (the old convention). */
function firstDayDated(frame: BarFrame, timeframe: '1w' | '1M'): BarFrame {
  return BarFrame.fromRows(
    rowsOf(frame).map((bar) => {
      const open = periodTradingDays(stocks, timeframe, Math.floor(bar.time / DAY_MS));
      return { ...bar, time: (open?.first ?? 0) * DAY_MS };
    }),
  );
}

describe('weekly and monthly bars dated by their last trading day', () => {
  it('expects a week whose last trading day is in the range, and finds a bar dated by any of its days', () => {
    // Wednesday 2024-03-13 to Monday 2024-04-01: the weeks ending 15, 22 and 28 March (Good Friday).
    const start = Date.parse('2024-03-13T00:00:00Z');
    const end = Date.parse('2024-04-01T00:00:00Z');
    const ibDates = ['2024-03-15', '2024-03-22', '2024-03-28'].map((d) => Date.parse(`${d}T00:00:00Z`));
    const complete = analyzeGaps(ibDates, { start, end, timeframe: '1w', calendar: stocks });
    expect(complete).toMatchObject({ expectedBars: 3, presentBars: 3, missingBars: 0 });
    // Without the first week's bar, the gap to fetch is that whole week, from its Saturday.
    const missing = analyzeGaps(ibDates.slice(1), { start, end, timeframe: '1w', calendar: stocks });
    expect(missing.gaps.filter((g) => g.kind === 'unexpected')).toEqual([
      expect.objectContaining({ start: Date.parse('2024-03-09T00:00:00Z'), missingBars: 1 }),
    ]);
  });

  it('redates first-trading-day bars, leaving a new-convention series and its week in progress alone', () => {
    const old = ['2024-03-04', '2024-03-11', '2024-03-25', '2024-04-01'].map((d) =>
      Date.parse(`${d}T00:00:00Z`),
    );
    const { times, redated } = redatePeriodBars(old, '1w', stocks, Date.parse('2024-04-03T12:00:00Z'));
    expect(redated).toBe(4);
    // The week of 1 April is in progress on Wednesday 3 April: dated by its latest trading day.
    expect(Array.from(times, (t) => day(formatIsoUtc(t)))).toEqual([
      '2024-03-08',
      '2024-03-15',
      '2024-03-28',
      '2024-04-03',
    ]);
    // A new-convention series whose last bar was fetched on the Monday of its week.
    const current = ['2024-03-08', '2024-03-15', '2024-04-01'].map((d) => Date.parse(`${d}T00:00:00Z`));
    expect(redatePeriodBars(current, '1w', stocks).redated).toBe(0);
    const months = ['2024-01-02', '2024-02-01'].map((d) => Date.parse(`${d}T00:00:00Z`));
    expect(Array.from(redatePeriodBars(months, '1M', stocks).times, (t) => day(formatIsoUtc(t)))).toEqual([
      '2024-01-31',
      '2024-02-29',
    ]);
  });

  it.each<['1w' | '1M', string]>([
    ['1w', '2024-01-01'],
    ['1M', '2023-07-01'],
  ])(
    'loads %s bars from the simulator at IB dates, converts an old-convention file once',
    async (tf, from) => {
      const sim = await simulator(closer);
      const dataDir = await tempDir(closer);
      const data = service(sim, dataDir);
      const range = {
        symbol: 'AAPL',
        timeframe: tf as Timeframe,
        start: from,
        end: '2024-06-29',
        mode: 'full' as const,
      };
      const loaded = await data.loadData(range).then((load) => load.result());
      expect(loaded.frame.length).toBeGreaterThan(5);
      for (const time of loaded.frame.columns().time) {
        const open = periodTradingDays(stocks, tf, Math.floor(time / DAY_MS));
        expect(time).toBe((open?.last ?? 0) * DAY_MS);
      }
      expect(loaded.notices).toBeUndefined();
      const again = await data.loadData(range).then((load) => load.result());
      expect(again.fetchedBars).toBe(0);

      // The same bars under the old convention: converted on the next load, with a notice.
      await data.store.save('AAPL', tf, firstDayDated(loaded.frame, tf), { simulated: true });
      const handle = await data.loadData(range);
      const converted = await handle.result();
      expect(converted.notices).toEqual([expect.stringContaining('first trading day')]);
      expect(handle.describe().result_summary).toMatchObject({ notices: converted.notices });
      expect(converted.fetchedBars).toBe(0);
      expect(rowsOf(converted.frame)).toEqual(rowsOf(loaded.frame));
      expect(dates(converted.frame)).toEqual(dates(loaded.frame));

      // Converted once: the next load (local too) has nothing to say.
      const local = await data.loadData({ ...range, mode: 'local' }).then((load) => load.result());
      expect(local.notices).toBeUndefined();
      expect(rowsOf(local.frame)).toEqual(rowsOf(loaded.frame));
    },
  );

  it('converts an old-convention file in a local load too', async () => {
    const sim = await simulator(closer);
    const data = service(sim, await tempDir(closer));
    const weeks = BarFrame.fromRows(
      ['2024-03-04', '2024-03-11', '2024-03-18'].map((d, i) => ({
        time: Date.parse(`${d}T00:00:00Z`),
        open: 10 + i,
        high: 12 + i,
        low: 9 + i,
        close: 11 + i,
        volume: 100,
      })),
    );
    await data.store.save('AAPL', '1w', weeks, { simulated: false });
    const local = await data
      .loadData({ symbol: 'AAPL', timeframe: '1w', mode: 'local' })
      .then((load) => load.result());
    expect(local.notices).toEqual([expect.stringContaining('AAPL 1w: 3 stored bar(s)')]);
    expect(dates(local.frame)).toEqual(['2024-03-08', '2024-03-15', '2024-03-22']);
    expect(Array.from(local.frame.columns().open)).toEqual([10, 11, 12]);
  });

  it('reads a Python KTRDR weekly file (IB dates: last trading day) as it is', async () => {
    const sim = await simulator(closer);
    const dataDir = await tempDir(closer);
    const data = service(sim, dataDir);
    await writeFile(
      join(dataDir, 'AAPL_1w.csv'),
      'date,open,high,low,close,volume\n' +
        '2024-03-08T00:00:00Z,170.0,175.5,168.25,172.0,250000000.0\n' +
        '2024-03-15T00:00:00Z,172.0,174.0,169.0,170.5,240000000.0\n' +
        '2024-03-28T00:00:00Z,170.5,173.0,167.0,171.25,180000000.0\n',
    );
    const local = await data
      .loadData({ symbol: 'AAPL', timeframe: '1w', mode: 'local' })
      .then((load) => load.result());
    expect(local.notices).toBeUndefined();
    expect(dates(local.frame)).toEqual(['2024-03-08', '2024-03-15', '2024-03-28']);
  });

  it('converts a half-converted file whole; a moved bar gives way to one already at the new date', async () => {
    const sim = await simulator(closer);
    const data = service(sim, await tempDir(closer));
    const bar = (date: string, open: number) => ({
      time: Date.parse(`${date}T00:00:00Z`),
      open,
      high: open + 2,
      low: open - 1,
      close: open + 1,
      volume: 100,
    });
    // 4 March (old) and 15 March (new) are both kept; 11 March (old) lands on 15 March and gives way.
    const mixed = BarFrame.fromRows([
      bar('2024-03-04', 1),
      bar('2024-03-11', 2),
      bar('2024-03-15', 3),
      bar('2024-03-22', 4),
    ]);
    await data.store.save('AAPL', '1w', mixed, { simulated: false });
    const local = await data
      .loadData({ symbol: 'AAPL', timeframe: '1w', mode: 'local' })
      .then((load) => load.result());
    expect(local.notices).toEqual([expect.stringContaining('1 of them duplicated a bar already dated so')]);
    expect(dates(local.frame)).toEqual(['2024-03-08', '2024-03-15', '2024-03-22']);
    expect(Array.from(local.frame.columns().open)).toEqual([1, 3, 4]);
  });
});
