import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  calendarForInstrument,
  calendarFromTradingHours,
  cmeFuturesCalendar,
  expectedBarTimes,
  forexCalendar,
  isTradingTime,
  isUsEarlyClose,
  localDayNumber,
  localMidnightUtc,
  parseIbTradingHours,
  sessionsBetween,
  tradingDaysBetween,
  usMarketHolidays,
  usStockCalendar,
  zoneOffsetMs,
  zonedDateTime,
  zonedTimeToUtc,
} from '../src/calendar/index';
import { daysFromCivil } from '../src/domain/civil-date';

const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const day = (date: string): number => daysFromCivil(+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10));
const holidayDates = (year: number): string[] => usMarketHolidays(year).map((h) => h.date);

describe('US exchange holidays', () => {
  it('matches the published NYSE calendars 2021-2025, observed days included', () => {
    expect(holidayDates(2021)).toEqual([
      '2021-01-01',
      '2021-01-18',
      '2021-02-15',
      '2021-04-02',
      '2021-05-31',
      '2021-07-05',
      '2021-09-06',
      '2021-11-25',
      '2021-12-24',
    ]);
    // New Year's Day 2022 was a Saturday: NYSE does not close on Friday 2021-12-31.
    expect(holidayDates(2022)).toEqual([
      '2022-01-17',
      '2022-02-21',
      '2022-04-15',
      '2022-05-30',
      '2022-06-20',
      '2022-07-04',
      '2022-09-05',
      '2022-11-24',
      '2022-12-26',
    ]);
    expect(holidayDates(2023)).toEqual([
      '2023-01-02',
      '2023-01-16',
      '2023-02-20',
      '2023-04-07',
      '2023-05-29',
      '2023-06-19',
      '2023-07-04',
      '2023-09-04',
      '2023-11-23',
      '2023-12-25',
    ]);
    expect(holidayDates(2024)).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ]);
    expect(holidayDates(2025)).toEqual([
      '2025-01-01',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ]);
  });

  it('moves Saturday holidays to Friday and Sunday holidays to Monday, and flags them observed', () => {
    // 2027: Juneteenth and Christmas on Saturday, Independence Day on Sunday.
    const y2027 = usMarketHolidays(2027);
    expect(y2027.filter((h) => h.observed).map((h) => [h.date, h.name])).toEqual([
      ['2027-06-18', 'Juneteenth National Independence Day'],
      ['2027-07-05', 'Independence Day'],
      ['2027-12-24', 'Christmas Day'],
    ]);
    expect(holidayDates(2027)).not.toContain('2027-12-31'); // New Year 2028 is a Saturday
    expect(y2027.find((h) => h.name === 'Good Friday')?.date).toBe('2027-03-26');
  });

  it('adds Juneteenth from 2022 only and computes Good Friday from Easter', () => {
    expect(usMarketHolidays(2021).some((h) => h.name.startsWith('Juneteenth'))).toBe(false);
    expect(usMarketHolidays(2019).find((h) => h.name === 'Good Friday')?.date).toBe('2019-04-19');
    expect(usMarketHolidays(2000).find((h) => h.name === 'Good Friday')?.date).toBe('2000-04-21');
  });

  it('knows the early closes and the one-off closures', () => {
    expect(isUsEarlyClose(day('2024-07-03'), 2024, 7, 3)).toBe(true);
    expect(isUsEarlyClose(day('2024-11-29'), 2024, 11, 29)).toBe(true);
    expect(isUsEarlyClose(day('2024-12-24'), 2024, 12, 24)).toBe(true);
    expect(isUsEarlyClose(day('2022-07-01'), 2022, 7, 1)).toBe(false);
    expect(isUsEarlyClose(day('2024-11-22'), 2024, 11, 22)).toBe(false);
    const stocks = usStockCalendar();
    const blackFriday = stocks.tradingDay(day('2024-11-29'));
    expect(blackFriday.earlyClose).toBe(true);
    expect(blackFriday.sessions.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2024-11-29T14:30:00Z', '2024-11-29T18:00:00Z'],
    ]);
    expect(stocks.tradingDay(day('2025-01-09'))).toMatchObject({ status: 'market_closure', sessions: [] });
    expect(stocks.tradingDay(day('2012-10-30')).status).toBe('market_closure');
  });
});

describe('time zones and DST', () => {
  it('follows New York across the March and November changes', () => {
    expect(zoneOffsetMs('America/New_York', at('2024-03-10T06:59:59Z'))).toBe(-5 * HOUR);
    expect(zoneOffsetMs('America/New_York', at('2024-03-10T07:00:00Z'))).toBe(-4 * HOUR);
    expect(zoneOffsetMs('America/New_York', at('2024-11-03T05:59:59Z'))).toBe(-4 * HOUR);
    expect(zoneOffsetMs('America/New_York', at('2024-11-03T06:00:00Z'))).toBe(-5 * HOUR);
    expect(zonedTimeToUtc('America/New_York', 2024, 3, 10, 3, 0)).toBe(at('2024-03-10T07:00:00Z'));
    expect(zonedTimeToUtc('America/Chicago', 2024, 7, 1, 17, 0)).toBe(at('2024-07-01T22:00:00Z'));
    expect(localMidnightUtc('America/New_York', day('2024-11-04'))).toBe(at('2024-11-04T05:00:00Z'));
    expect(localDayNumber('America/New_York', at('2024-11-04T04:59:00Z'))).toBe(day('2024-11-03'));
    expect(zonedDateTime('America/New_York', at('2024-01-01T05:00:00Z'))).toMatchObject({
      hour: 0,
      weekday: 1,
    });
  });

  it('opens US stocks at 09:30 New York on both sides of each DST change', () => {
    const stocks = usStockCalendar();
    const open = (date: string): string => iso(stocks.tradingDay(day(date)).sessions[0]!.start);
    expect(open('2024-03-08')).toBe('2024-03-08T14:30:00Z');
    expect(open('2024-03-11')).toBe('2024-03-11T13:30:00Z');
    expect(open('2024-11-01')).toBe('2024-11-01T13:30:00Z');
    expect(open('2024-11-04')).toBe('2024-11-04T14:30:00Z');
    const extended = usStockCalendar('extended').tradingDay(day('2024-03-11')).sessions[0]!;
    expect([iso(extended.start), iso(extended.end)]).toEqual([
      '2024-03-11T08:00:00Z',
      '2024-03-12T00:00:00Z',
    ]);
  });

  it('rejects unknown zones with a ValidationError', () => {
    expect(() => zoneOffsetMs('Mars/Olympus', 0)).toThrow(ValidationError);
  });
});

describe('sessions per instrument type', () => {
  it('runs forex from Sunday 17:00 to Friday 17:00 New York, closed on Christmas', () => {
    const fx = forexCalendar();
    const monday = fx.tradingDay(day('2024-03-11'));
    expect(monday.sessions.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2024-03-10T21:00:00Z', '2024-03-11T21:00:00Z'],
    ]);
    expect(iso(fx.tradingDay(day('2024-03-08')).sessions[0]!.end)).toBe('2024-03-08T22:00:00Z');
    expect(fx.tradingDay(day('2024-03-09')).status).toBe('weekend');
    expect(fx.tradingDay(day('2024-12-25'))).toMatchObject({ status: 'holiday', name: 'Christmas Day' });
    expect(isTradingTime(fx, at('2024-03-09T12:00:00Z'))).toBe(false);
    expect(isTradingTime(fx, at('2024-03-10T20:59:00Z'))).toBe(false);
    expect(isTradingTime(fx, at('2024-03-10T21:00:00Z'))).toBe(true);
    expect(isTradingTime(fx, at('2024-03-13T03:00:00Z'))).toBe(true);
    // A US holiday is a normal forex day.
    expect(fx.tradingDay(day('2024-07-04')).status).toBe('open');
  });

  it('runs CME futures 17:00-16:00 Chicago with a daily one-hour break, closed on US holidays', () => {
    const fut = cmeFuturesCalendar();
    const thursday = fut.tradingDay(day('2024-03-07'));
    expect(thursday.sessions.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2024-03-06T23:00:00Z', '2024-03-07T22:00:00Z'],
    ]);
    expect(isTradingTime(fut, at('2024-03-07T22:30:00Z'))).toBe(false); // 16:30 CT, maintenance break
    expect(isTradingTime(fut, at('2024-03-07T23:30:00Z'))).toBe(true); // 17:30 CT, Friday's session
    expect(isTradingTime(fut, at('2024-03-09T12:00:00Z'))).toBe(false);
    expect(fut.tradingDay(day('2024-01-15'))).toMatchObject({
      status: 'holiday',
      name: 'Martin Luther King Jr. Day',
    });
    expect(fut.timeZone).toBe('America/Chicago');
  });

  it('merges touching sessions and lists trading days of a range', () => {
    const fx = calendarForInstrument('CASH');
    const merged = sessionsBetween(fx, at('2024-03-11T00:00:00Z'), at('2024-03-16T00:00:00Z'));
    // Monday to Friday forex is one continuous session.
    expect(merged.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2024-03-11T00:00:00Z', '2024-03-15T21:00:00Z'],
    ]);
    const days = tradingDaysBetween(
      calendarForInstrument('STK'),
      at('2024-03-29T12:00:00Z'),
      at('2024-04-01T20:00:00Z'),
    );
    expect(days.map((d) => [d.date, d.status])).toEqual([
      ['2024-03-29', 'holiday'],
      ['2024-03-30', 'weekend'],
      ['2024-03-31', 'weekend'],
      ['2024-04-01', 'open'],
    ]);
    expect(calendarForInstrument('STK')).toBe(calendarForInstrument('STK', { hours: 'regular' }));
    expect(calendarForInstrument('STK', { hours: 'extended' }).name).toBe('us-stocks-extended');
  });
});

describe('IB contract-details trading hours', () => {
  it('reads the current format with CLOSED days and sessions across midnight', () => {
    const hours = parseIbTradingHours(
      '20240101:CLOSED;20240102:0930-20240102:1600;20240103:1700-20240104:1600',
      'US/Eastern',
    );
    expect(hours.timeZone).toBe('America/New_York');
    expect(hours.closedDates).toEqual(['2024-01-01']);
    expect(hours.sessions.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2024-01-02T14:30:00Z', '2024-01-02T21:00:00Z'],
      ['2024-01-03T22:00:00Z', '2024-01-04T21:00:00Z'],
    ]);
  });

  it('reads the old format, where an end before the start is the next day, and IB zone spellings', () => {
    const hours = parseIbTradingHours(
      '20090507:0700-1830,1830-2330;20090508:CLOSED;20090509:1700-1600',
      'EST (Eastern Standard Time)',
    );
    expect(hours.sessions.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2009-05-07T11:00:00Z', '2009-05-07T22:30:00Z'],
      ['2009-05-07T22:30:00Z', '2009-05-08T03:30:00Z'],
      ['2009-05-09T21:00:00Z', '2009-05-10T20:00:00Z'],
    ]);
    expect(parseIbTradingHours('20240102:0830-20240102:1500', 'CST6CDT').sessions[0]!.start).toBe(
      at('2024-01-02T14:30:00Z'),
    );
  });

  it('rejects malformed text and unknown zones with typed errors', () => {
    const fieldOf = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).details.field;
      }
      return undefined;
    };
    expect(fieldOf(() => parseIbTradingHours('2024-01-02:0930-1600', 'US/Eastern'))).toBe('tradingHours');
    expect(fieldOf(() => parseIbTradingHours('20240102:0930', 'US/Eastern'))).toBe('tradingHours');
    expect(fieldOf(() => parseIbTradingHours('20240102:2530-2600', 'US/Eastern'))).toBe('tradingHours');
    expect(fieldOf(() => parseIbTradingHours('20240102:0930-1600', 'Nowhere/Land'))).toBe('timeZoneId');
  });

  it('overrides the built-in calendar on listed dates and defers to it elsewhere', () => {
    const base = usStockCalendar();
    // Contract details say 2024-07-03 closes at 13:00 and 2024-07-04 is closed.
    const hours = parseIbTradingHours(
      '20240703:0930-20240703:1300;20240704:CLOSED;20240706:CLOSED',
      'America/New_York',
    );
    const calendar = calendarFromTradingHours(hours, base);
    expect(calendar.tradingDay(day('2024-07-03')).sessions.map((s) => iso(s.end))).toEqual([
      '2024-07-03T17:00:00Z',
    ]);
    expect(calendar.tradingDay(day('2024-07-04'))).toMatchObject({
      status: 'holiday',
      name: 'Independence Day',
    });
    expect(calendar.tradingDay(day('2024-07-06')).status).toBe('weekend');
    expect(calendar.tradingDay(day('2024-07-08'))).toEqual(base.tradingDay(day('2024-07-08')));
    const unexpectedClosure = calendarFromTradingHours(
      parseIbTradingHours('20240708:CLOSED', 'US/Eastern'),
      base,
    );
    expect(unexpectedClosure.tradingDay(day('2024-07-08'))).toMatchObject({
      status: 'holiday',
      sessions: [],
    });
  });
});

describe('expected bar times', () => {
  it('lists hourly stock bars from the 09:00 slot (holding the 09:30 bar) to 15:00, per DST', () => {
    const times = expectedBarTimes(
      usStockCalendar(),
      '1h',
      at('2024-03-08T00:00:00Z'),
      at('2024-03-12T00:00:00Z'),
    );
    expect(Array.from(times, iso)).toEqual([
      ...[14, 15, 16, 17, 18, 19, 20].map((h) => `2024-03-08T${h}:00:00Z`),
      ...[13, 14, 15, 16, 17, 18, 19].map((h) => `2024-03-11T${h}:00:00Z`),
    ]);
  });

  it('anchors intraday slots at local midnight through a 23-hour day', () => {
    const times = expectedBarTimes(
      forexCalendar(),
      '4h',
      at('2024-03-10T00:00:00Z'),
      at('2024-03-11T12:00:00Z'),
    );
    expect(Array.from(times, iso)).toEqual([
      '2024-03-10T21:00:00Z', // 17:00 EDT, Sunday open
      '2024-03-11T01:00:00Z', // 21:00, cut short at midnight
      '2024-03-11T04:00:00Z', // 00:00 Monday
      '2024-03-11T08:00:00Z',
    ]);
  });

  it('lists daily, weekly and monthly slots only where the market opens', () => {
    const stocks = usStockCalendar();
    const daily = expectedBarTimes(stocks, '1d', at('2024-03-25T00:00:00Z'), at('2024-04-03T00:00:00Z'));
    expect(Array.from(daily, (t) => iso(t).slice(0, 10))).toEqual([
      '2024-03-25',
      '2024-03-26',
      '2024-03-27',
      '2024-03-28',
      '2024-04-01',
      '2024-04-02',
    ]);
    // Weekly and monthly bars are expected at their last trading day, as IB dates them; the week in
    // progress at the end of the range by its latest trading day before the end.
    const weekly = expectedBarTimes(stocks, '1w', at('2024-01-01T00:00:00Z'), at('2024-02-01T00:00:00Z'));
    expect(Array.from(weekly, (t) => iso(t).slice(0, 10))).toEqual([
      '2024-01-05',
      '2024-01-12',
      '2024-01-19',
      '2024-01-26',
      '2024-01-31',
    ]);
    const monthly = expectedBarTimes(stocks, '1M', at('2023-12-15T00:00:00Z'), at('2024-04-01T00:00:00Z'));
    expect(Array.from(monthly, (t) => iso(t).slice(0, 10))).toEqual([
      '2023-12-29',
      '2024-01-31',
      '2024-02-29',
      '2024-03-28', // Good Friday, 29 March, is a holiday
    ]);
    expect(
      expectedBarTimes(stocks, '1d', at('2024-01-02T00:00:00Z'), at('2024-01-01T00:00:00Z')).length,
    ).toBe(0);
  });

  it('skips the futures maintenance break in hourly slots', () => {
    const times = expectedBarTimes(
      cmeFuturesCalendar(),
      '1h',
      at('2024-03-07T20:00:00Z'),
      at('2024-03-08T01:00:00Z'),
    );
    expect(Array.from(times, iso)).toEqual([
      '2024-03-07T20:00:00Z',
      '2024-03-07T21:00:00Z',
      '2024-03-07T23:00:00Z',
      '2024-03-08T00:00:00Z',
    ]);
  });
});
