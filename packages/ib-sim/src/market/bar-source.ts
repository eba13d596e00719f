/**
 * Serves bars for any instrument, range, bar size and `whatToShow`. Synthetic minute bars are the
 * base (generated per session and memoised); every other size is aggregated from them, so a day bar
 * is exactly its session's minute bars. Fixture instruments serve their own bars the same way.
 */
import type { ServedBar } from './bar';
import { aggregateByKey } from './bar-aggregator';
import type { BarSize } from './bar-sizes';
import { parseBarSize } from './bar-sizes';
import { civilFromDays } from './civil-date';
import type { Instrument } from './instrument';
import { generateSessionMinutes, minuteBarAt, summarizeMinutes } from './price-process';
import type { MinuteSeries } from './price-process';
import { toQuoteSide } from './quote-sides';
import type { WhatToShow } from './quote-sides';
import { hashString, mixHash } from './random';
import type { TradingSession } from './sessions';
import { localDayOf, sessionContaining, sessionOn, sessionsOverlapping, sessionWindow } from './sessions';
import { splitMinuteIntoSeconds } from './sub-minute';
import { tickRounder } from './ticks';
import { localSeconds, zonedTimeToEpoch } from './time-zones';

/** What to serve. The range is `[start, end)` in epoch seconds, by bar start time. */
export interface BarQuery {
  readonly instrument: Instrument;
  readonly start: number;
  readonly end: number;
  readonly barSize: BarSize;
  readonly whatToShow: WhatToShow;
  readonly useRth: boolean;
}

/** Monday-based week number of a day number (day 4 = Monday 1970-01-05). */
const weekOf = (day: number): number => Math.floor((day - 4) / 7);
const monthOf = (day: number): number => {
  const { year, month } = civilFromDays(day);
  return year * 12 + month;
};

const DAY_BAR = parseBarSize('1 day');

/** Whether a bar unit spans several sessions (weekly and monthly bars). */
const isPeriodUnit = (unit: BarSize['unit']): boolean => unit === 'week' || unit === 'month';

/** Default number of sessions whose minute bars stay memoised (a year and a half of one symbol). */
const DEFAULT_CACHE_SESSIONS = 400;
/** Memoised whole-session day bars (a few MB at most). */
const MAX_CACHED_DAY_BARS = 50_000;

/** Bar generation and aggregation for one simulator seed. */
export class BarSource {
  private readonly seedHash: number;
  private readonly cache = new Map<string, MinuteSeries>();
  /** Whole-session day bars, which decade-long daily requests reuse (small: one bar per entry). */
  private readonly dayCache = new Map<string, ServedBar>();

  constructor(
    seed: string | number,
    private readonly cacheSessions = DEFAULT_CACHE_SESSIONS,
  ) {
    this.seedHash = hashString(String(seed));
  }

  /** The seed of one instrument's series: the simulator seed mixed with the symbol name. */
  instrumentSeed(instrument: Instrument): number {
    return mixHash(this.seedHash, hashString(instrument.symbol));
  }

  /** Synthetic minute bars of one session (memoised, least recently used evicted first). */
  minuteSeries(instrument: Instrument, session: TradingSession): MinuteSeries {
    const key = `${instrument.symbol}|${session.day}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const series = generateSessionMinutes(this.instrumentSeed(instrument), instrument, session);
    this.cache.set(key, series);
    if (this.cache.size > this.cacheSessions) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return series;
  }

  /** Day bar of a whole session window, memoised. */
  private sessionDayBar(
    instrument: Instrument,
    session: TradingSession,
    useRth: boolean,
    first: number,
    last: number,
    wapDecimals: number,
  ): ServedBar {
    const key = `${instrument.symbol}|${session.day}|${useRth ? 1 : 0}`;
    const cached = this.dayCache.get(key);
    if (cached) return cached;
    const bar = summarizeMinutes(this.minuteSeries(instrument, session), first, last, wapDecimals);
    if (this.dayCache.size >= MAX_CACHED_DAY_BARS) this.dayCache.clear();
    this.dayCache.set(key, bar);
    return bar;
  }

  /** Start of the first bar the instrument has (its head timestamp), in epoch seconds. */
  headTime(instrument: Instrument, useRth: boolean): number | undefined {
    const fixture = instrument.fixture;
    if (fixture) {
      const first = this.fixtureBars(instrument, useRth)[0];
      return first?.time;
    }
    for (let day = instrument.headDay; day < instrument.headDay + 31; day += 1) {
      const session = sessionOn(instrument.sessionKind, day);
      if (session) return sessionWindow(session, useRth)[0];
    }
    return undefined;
  }

  /** Close of the last day bar before `nowSeconds` (within two weeks), e.g. to centre option strikes. */
  latestClose(instrument: Instrument, nowSeconds: number): number | undefined {
    const day = DAY_BAR;
    if (!day) return undefined;
    const bars = this.bars({
      instrument,
      start: nowSeconds - 14 * 86400,
      end: nowSeconds,
      barSize: day,
      whatToShow: 'TRADES',
      useRth: true,
    });
    return bars[bars.length - 1]?.close;
  }

  /** Whether the instrument can serve a bar size at all (fixtures cannot be refined). */
  supports(instrument: Instrument, barSize: BarSize): boolean {
    const fixture = instrument.fixture;
    if (!fixture) return true;
    if (fixture.daily) return barSize.unit !== 'seconds';
    return (
      barSize.unit !== 'seconds' ||
      (barSize.seconds >= fixture.baseSeconds && barSize.seconds % fixture.baseSeconds === 0)
    );
  }

  /** Upper bound of the number of bars a query yields, to refuse absurd requests before generating. */
  estimateCount(query: BarQuery): number {
    const sessions = sessionsOverlapping(query.instrument.sessionKind, query.start, query.end, query.useRth);
    if (query.barSize.unit !== 'seconds') return sessions.length;
    let seconds = 0;
    for (const session of sessions) {
      const [start, end] = sessionWindow(session, query.useRth);
      seconds += Math.max(0, Math.min(end, query.end) - Math.max(start, query.start));
    }
    return Math.ceil(seconds / query.barSize.seconds) + sessions.length;
  }

  /** Bars for a query, oldest first, converted to the requested `whatToShow`. */
  bars(query: BarQuery): ServedBar[] {
    const { instrument } = query;
    if (!this.supports(instrument, query.barSize)) return [];
    const sessionBars = instrument.fixture ? this.fixtureQuery(query) : this.syntheticQuery(query);
    const wapDecimals = tickRounder(instrument.minTick).decimals + 2;
    // IB dates weekly and monthly bars by the last trading day they hold (see the README's evidence).
    const grouped =
      query.barSize.unit === 'week'
        ? aggregateByKey(sessionBars, (bar) => weekOf(bar.day), wapDecimals, 'last')
        : query.barSize.unit === 'month'
          ? aggregateByKey(sessionBars, (bar) => monthOf(bar.day), wapDecimals, 'last')
          : sessionBars;
    const rounder = tickRounder(instrument.minTick);
    return grouped.map((bar) => toQuoteSide(bar, query.whatToShow, instrument.price.spreadTicks, rounder));
  }

  private syntheticQuery(query: BarQuery): ServedBar[] {
    const { instrument, barSize, useRth } = query;
    const rounder = tickRounder(instrument.minTick);
    const wapDecimals = rounder.decimals + 2;
    const seed = this.instrumentSeed(instrument);
    const out: ServedBar[] = [];
    for (const session of sessionsOverlapping(instrument.sessionKind, query.start, query.end, useRth)) {
      if (session.day < instrument.headDay) continue;
      const [windowStart, windowEnd] = sessionWindow(session, useRth);
      // Day bars cover whole sessions: one that began before the range is left out, while the
      // session in progress at the end yields a partial bar, as from IB. Weekly and monthly bars
      // take every session the range touches, whole, so the first week or month is a partial one
      // (IB's 5 weekly bars for `1 M` ending Labor Day 2023, the first dated 20230804).
      const periodBar = isPeriodUnit(barSize.unit);
      if (barSize.unit !== 'seconds' && !periodBar && windowStart < query.start) continue;
      if (periodBar && windowEnd <= query.start) continue;
      const from = periodBar ? windowStart : Math.max(windowStart, query.start);
      const to = Math.min(windowEnd, query.end);
      if (to <= from) continue;
      const minutes = this.minuteSeries(instrument, session);
      if (barSize.unit === 'seconds' && barSize.seconds < 60) {
        // Minutes overlapping the range, split into seconds, trimmed to the range, then bucketed.
        const first = Math.max(0, Math.floor((from - session.start) / 60));
        const last = Math.min(minutes.length, Math.ceil((to - session.start) / 60));
        for (let i = first; i < last; i += 1) {
          const seconds = splitMinuteIntoSeconds(seed, minuteBarAt(minutes, i), rounder)
            .filter((bar) => bar.time >= from && bar.time < to)
            .map((bar): ServedBar => ({ ...bar, day: session.day }));
          out.push(...aggregateByKey(seconds, (bar) => Math.floor(bar.time / barSize.seconds), wapDecimals));
        }
        continue;
      }
      // Bars start on the minute, so minutes starting at or after `from` and before `to`.
      const first = Math.max(0, Math.ceil((from - session.start) / 60));
      const last = Math.min(minutes.length, Math.ceil((to - session.start) / 60));
      if (last <= first) continue;
      if (barSize.unit !== 'seconds') {
        const whole = from === windowStart && to === windowEnd;
        out.push(
          whole
            ? this.sessionDayBar(instrument, session, useRth, first, last, wapDecimals)
            : summarizeMinutes(minutes, first, last, wapDecimals),
        );
      } else if (barSize.seconds === 60) {
        for (let i = first; i < last; i += 1) out.push(minuteBarAt(minutes, i));
      } else {
        const bars: ServedBar[] = [];
        for (let i = first; i < last; i += 1) bars.push(minuteBarAt(minutes, i));
        out.push(...this.bucketIntraday(bars, instrument, barSize.seconds, wapDecimals));
      }
    }
    return out;
  }

  /**
   * Buckets by local clock time (hour bars start on the hour, with the first bar of the day labelled
   * at the first minute, e.g. 09:30), never across a trading-date boundary.
   */
  private bucketIntraday(
    bars: readonly ServedBar[],
    instrument: Instrument,
    seconds: number,
    wapDecimals: number,
  ): ServedBar[] {
    const zone = instrument.timeZone;
    return aggregateByKey(
      bars,
      (bar) => bar.day * 100_000 + (Math.floor(localSeconds(zone, bar.time) / seconds) % 100_000),
      wapDecimals,
    );
  }

  /** Fixture bars with their trading date, filtered to RTH when asked. */
  private fixtureBars(instrument: Instrument, useRth: boolean): ServedBar[] {
    const fixture = instrument.fixture;
    if (!fixture) return [];
    const kind = instrument.sessionKind;
    const out: ServedBar[] = [];
    for (const bar of fixture.bars) {
      if (fixture.daily) {
        // Daily fixture bars are keyed by their UTC date and placed at that session's open.
        const day = Math.floor(bar.time / 86400);
        const session = sessionOn(kind, day);
        const time = session
          ? sessionWindow(session, useRth)[0]
          : zonedTimeToEpoch(instrument.timeZone, day, 0, 0);
        out.push({ ...bar, time, day });
        continue;
      }
      const session = sessionContaining(kind, bar.time);
      if (useRth && (!session || bar.time < session.rthStart || bar.time >= session.rthEnd)) continue;
      out.push({ ...bar, day: session?.day ?? localDayOf(kind, bar.time) });
    }
    return out;
  }

  private fixtureQuery(query: BarQuery): ServedBar[] {
    const { instrument, barSize } = query;
    const wapDecimals = tickRounder(instrument.minTick).decimals + 2;
    const all = this.fixtureBars(instrument, query.useRth);
    if (isPeriodUnit(barSize.unit)) {
      // As for synthetic bars: every trading day the range touches counts, whole.
      return all.filter((bar) => {
        const session = sessionOn(instrument.sessionKind, bar.day);
        const dayEnd = session ? sessionWindow(session, query.useRth)[1] : bar.time + 1;
        return dayEnd > query.start && bar.time < query.end;
      });
    }
    const inRange = all.filter((bar) => bar.time >= query.start && bar.time < query.end);
    if (barSize.unit !== 'seconds') {
      const whole = inRange.filter((bar) => {
        const session = sessionOn(instrument.sessionKind, bar.day);
        return !session || sessionWindow(session, query.useRth)[0] >= query.start;
      });
      return aggregateByKey(whole, (bar) => bar.day, wapDecimals);
    }
    if (barSize.seconds === instrument.fixture?.baseSeconds) return inRange;
    return this.bucketIntraday(inRange, instrument, barSize.seconds, wapDecimals);
  }
}
