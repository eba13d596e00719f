/**
 * The synthetic price process. Two layers keep every (symbol, day) independently computable:
 *
 * 1. A daily log-price level L(d) defined for every calendar day by multi-octave value noise (random
 *    knots every 1, 2, 4, ... 16384 days, linearly interpolated, amplitudes scaled like a random
 *    walk) plus drift. Day d's close is exp(L(d)) and its open derives from L(d-1), so the series is
 *    continuous across days without generating the days in between. The fine octaves are scaled by
 *    a slowly varying volatility regime, which gives volatility clustering.
 * 2. Within a session, a Brownian bridge from that open to that close, with per-minute variance
 *    following the intraday activity profile. OHLC, volume, WAP and trade count per minute follow.
 *
 * Larger bars are aggregated from these minute bars, so every bar size is consistent by construction.
 */
import type { ServedBar } from './bar';
import { daysFromCivil } from './civil-date';
import type { Instrument } from './instrument';
import { minuteWeights } from './intraday-profile';
import { createRng, gaussianAt, mixHash } from './random';
import type { TradingSession } from './sessions';
import { tickRounder } from './ticks';

/** Day the series is anchored to: the price there equals `basePrice`. */
const REFERENCE_DAY = daysFromCivil(2024, 1, 2);
const OCTAVES = 15;
const FINE_OCTAVES = 4;
const TRADING_DAYS_PER_YEAR = 252;

function valueNoise(seed: number, octave: number, x: number): number {
  const knot = Math.floor(x);
  const fraction = x - knot;
  const a = gaussianAt(seed, octave, knot);
  const b = gaussianAt(seed, octave, knot + 1);
  return a + (b - a) * fraction;
}

/** Slow, smooth volatility multiplier around 1 (regimes lasting weeks to months). */
export function volatilityRegime(seed: number, day: number): number {
  const x = day / 30;
  const knot = Math.floor(x);
  const t = x - knot;
  const smooth = t * t * (3 - 2 * t);
  const a = gaussianAt(seed, 101, knot);
  const b = gaussianAt(seed, 101, knot + 1);
  return Math.exp(0.4 * (a + (b - a) * smooth) - 0.08);
}

function noiseLevel(seed: number, day: number, dailySigma: number): number {
  const regime = volatilityRegime(seed, day);
  let level = 0;
  for (let octave = 0; octave < OCTAVES; octave += 1) {
    const period = 2 ** octave;
    // 0.5 * sqrt(period) makes day-to-day increments sum to about one daily sigma (see module doc).
    const amplitude = 0.5 * dailySigma * Math.sqrt(period) * (octave < FINE_OCTAVES ? regime : 1);
    level += amplitude * valueNoise(seed, octave, day / period);
  }
  return level;
}

/** Daily sigma of log returns implied by the model's annual volatility. */
export function dailySigma(instrument: Instrument): number {
  return instrument.price.annualVolatility / Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/** Log-price level at the close of a calendar day. */
export function logLevel(seed: number, instrument: Instrument, day: number): number {
  const { basePrice, annualDrift } = instrument.price;
  const sigma = dailySigma(instrument);
  return (
    Math.log(basePrice) +
    (annualDrift * (day - REFERENCE_DAY)) / 365.25 +
    noiseLevel(seed, day, sigma) -
    noiseLevel(seed, REFERENCE_DAY, sigma)
  );
}

/**
 * Minute bars of one session in columnar form: typed arrays are several times cheaper to build and
 * to aggregate than bar objects, and day bars over decades only need the aggregates.
 */
export interface MinuteSeries {
  /** Trading date (day number). */
  readonly day: number;
  /** Start of the first minute (epoch seconds); minute i starts at `start + 60 * i`. */
  readonly start: number;
  readonly length: number;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly wap: Float64Array;
  readonly count: Float64Array;
}

/**
 * Generates the minute bars of one session. Pure function of (seed, instrument, session): the same
 * inputs always give the same bars, whatever was generated before.
 */
export function generateSessionMinutes(
  seed: number,
  instrument: Instrument,
  session: TradingSession,
): MinuteSeries {
  const weights = minuteWeights(instrument.sessionKind, session);
  const count = weights.length;
  const rounder = tickRounder(instrument.minTick);
  const rng = createRng(mixHash(seed, session.day, 7));
  const regime = volatilityRegime(seed, session.day);
  const sigma = dailySigma(instrument) * regime;

  const closeLog = logLevel(seed, instrument, session.day);
  // Equities gap overnight; forex and futures trade through the night, so they open where they were.
  const gap = instrument.sessionKind === 'us-equity' ? 0.25 * sigma * rng.normal() : 0;
  const openLog = logLevel(seed, instrument, session.day - 1) + gap;

  let totalWeight = 0;
  for (let i = 0; i < count; i += 1) totalWeight += weights[i] ?? 0;

  // Free random walk with profile-shaped variance, then bridged so it ends exactly at the close.
  const walk = new Float64Array(count + 1);
  const cumulativeVariance = new Float64Array(count + 1);
  const minuteSigma = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const s = sigma * Math.sqrt((weights[i] ?? 0) / totalWeight);
    minuteSigma[i] = s;
    walk[i + 1] = (walk[i] ?? 0) + s * rng.normal();
    cumulativeVariance[i + 1] = (cumulativeVariance[i] ?? 0) + s * s;
  }
  const totalVariance = cumulativeVariance[count] ?? 1;
  const correction = closeLog - openLog - (walk[count] ?? 0);
  // Rounding inlined (integer tick units, then back through 10^decimals) keeps this loop cheap: it
  // runs for every minute of every session served.
  const { tick, decimals } = rounder;
  const scale = 10 ** decimals;
  const wapScale = scale * 100;
  const prices = new Float64Array(count + 1);
  for (let i = 0; i <= count; i += 1) {
    const logPrice = openLog + (walk[i] ?? 0) + (correction * (cumulativeVariance[i] ?? 0)) / totalVariance;
    const rounded = Math.round(Math.round(Math.exp(logPrice) / tick) * tick * scale) / scale;
    prices[i] = rounded > tick ? rounded : tick;
  }

  const { averageDailyVolume, averageTradeSize } = instrument.price;
  const sessionVolume = averageDailyVolume * regime ** 0.8 * Math.exp(0.25 * rng.normal() - 0.03);
  const series: MinuteSeries = {
    day: session.day,
    start: session.start,
    length: count,
    open: new Float64Array(count),
    high: new Float64Array(count),
    low: new Float64Array(count),
    close: new Float64Array(count),
    volume: new Float64Array(count),
    wap: new Float64Array(count),
    count: new Float64Array(count),
  };
  for (let i = 0; i < count; i += 1) {
    const open = prices[i] ?? 0;
    const close = prices[i + 1] ?? 0;
    const top = open > close ? open : close;
    const bottom = open > close ? close : open;
    // Excursions beyond open/close: exponential tails scaled by the minute's volatility.
    const reach = 0.5 * (minuteSigma[i] ?? 0);
    const highRaw = top * (1 - reach * Math.log(1 - rng.next()));
    const lowRaw = bottom * (1 + reach * Math.log(1 - rng.next()));
    const high = Math.max(top, Math.round(Math.ceil(highRaw / tick - 1e-9) * tick * scale) / scale);
    const lowRounded = Math.round(Math.floor(lowRaw / tick + 1e-9) * tick * scale) / scale;
    const low = Math.max(tick, Math.min(bottom, lowRounded));
    const noise = rng.normal();
    const volume = Math.round(
      ((sessionVolume * (weights[i] ?? 0)) / totalWeight) * Math.exp(0.45 * noise - 0.1),
    );
    series.open[i] = open;
    series.high[i] = high;
    series.low[i] = low;
    series.close[i] = close;
    series.volume[i] = volume;
    series.wap[i] = Math.round(((high + low + 2 * close) / 4) * wapScale) / wapScale;
    series.count[i] =
      volume > 0
        ? Math.max(1, Math.round((volume / averageTradeSize) * Math.exp(0.3 * (rng.next() - 0.5))))
        : 0;
  }
  return series;
}

/** Minute `i` of a series as a bar object. */
export function minuteBarAt(series: MinuteSeries, i: number): ServedBar {
  return {
    time: series.start + i * 60,
    day: series.day,
    open: series.open[i] ?? 0,
    high: series.high[i] ?? 0,
    low: series.low[i] ?? 0,
    close: series.close[i] ?? 0,
    volume: series.volume[i] ?? 0,
    wap: series.wap[i] ?? 0,
    count: series.count[i] ?? 0,
  };
}

/**
 * Aggregates minutes `[from, to)` of a series into one bar, with exactly the arithmetic of
 * `combineBars` (same order of summation), so both paths give identical numbers.
 */
export function summarizeMinutes(
  series: MinuteSeries,
  from: number,
  to: number,
  wapDecimals: number,
): ServedBar {
  let high = series.high[from] ?? 0;
  let low = series.low[from] ?? 0;
  let volume = 0;
  let trades = 0;
  let wapVolume = 0;
  for (let i = from; i < to; i += 1) {
    const h = series.high[i] ?? 0;
    const l = series.low[i] ?? 0;
    const v = series.volume[i] ?? 0;
    if (h > high) high = h;
    if (l < low) low = l;
    volume += v;
    trades += series.count[i] ?? 0;
    wapVolume += (series.wap[i] ?? 0) * v;
  }
  const scale = 10 ** wapDecimals;
  const close = series.close[to - 1] ?? 0;
  return {
    time: series.start + from * 60,
    day: series.day,
    open: series.open[from] ?? 0,
    high,
    low,
    close,
    volume,
    wap: volume > 0 ? Math.round((wapVolume / volume) * scale) / scale : close,
    count: trades,
  };
}
