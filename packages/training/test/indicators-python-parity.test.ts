import * as ti from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import {
  adLine,
  computeIndicator,
  distanceFromMa,
  donchianChannels,
  findIndicator,
  ichimoku,
  keltnerChannels,
  listIndicators,
  mfi,
  parabolicSar,
  volumeRatio,
} from '../src/indicators/index';
import { randomWalkBars } from './support/random-walk-bars';

/**
 * The 13 indicators of Python KTRDR's registry added for strategy parity, cross-checked against the
 * independent technicalindicators package where it has them (PSAR, IchimokuCloud, MFI, ADL,
 * KeltnerChannels, and Highest/Lowest, SMA, EMA for Donchian, volume ratio and distance from MA).
 * The others are checked by hand in indicators-hand-worked.test.ts.
 */
const bars = randomWalkBars({ bars: 500, seed: 11 });
const n = bars.close.length;
const close = Array.from(bars.close);
const high = Array.from(bars.high);
const low = Array.from(bars.low);
const volume = Array.from(bars.volume);

/**
 * Compares the last `theirs.length` values of `ours` with `theirs` (technicalindicators returns only
 * defined values, aligned to the end) within `absolute + relative * |theirs|`.
 */
function expectTail(
  ours: Float64Array,
  theirs: readonly number[],
  { absolute = 0, relative = 1e-9 }: { absolute?: number; relative?: number } = {},
): void {
  const offset = ours.length - theirs.length;
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(theirs.length).toBeGreaterThan(ours.length / 2);
  theirs.forEach((value, j) => {
    const mine = ours[offset + j]!;
    const allowed = absolute + relative * Math.max(1, Math.abs(value));
    expect(Math.abs(mine - value), `bar ${offset + j}: ours ${mine} vs ${value}`).toBeLessThanOrEqual(
      allowed,
    );
  });
}

/** NaN exactly on the first `warmUp` bars, finite after. */
function expectWarmUp(values: Float64Array, warmUp: number): void {
  values.forEach((value, i) => expect(Number.isNaN(value), `bar ${i}`).toBe(i < warmUp));
}

/** Their Ichimoku cloud with the usual periods (their `displacement` shifts nothing they return). */
const theirCloud = () =>
  ti.ichimokucloud({ high, low, conversionPeriod: 9, basePeriod: 26, spanPeriod: 52, displacement: 26 });

describe('new indicators cross-checked against technicalindicators', () => {
  it('Parabolic SAR (Wilder, starts long at bar 0; ours leaves bar 0 NaN)', () => {
    const ours = parabolicSar(bars.high, bars.low, 0.02, 0.02, 0.2);
    const theirs = ti.psar({ high, low, step: 0.02, max: 0.2 });
    expect(theirs).toHaveLength(n);
    expectWarmUp(ours, 1);
    expectTail(ours.subarray(1), theirs.slice(1));
  });

  it('Ichimoku with displacement 0 equals their cloud (neither shifts the spans)', () => {
    const ours = ichimoku(bars.high, bars.low, bars.close, 9, 26, 52, 0);
    const theirs = theirCloud();
    expectTail(
      ours.tenkan,
      theirs.map((r) => r.conversion),
    );
    expectTail(
      ours.kijun,
      theirs.map((r) => r.base),
    );
    expectTail(
      ours.senkouA,
      theirs.map((r) => r.spanA),
    );
    expectTail(
      ours.senkouB,
      theirs.map((r) => r.spanB),
    );
    // They start every line at bar 51; ours each as soon as its own range is full.
    expectWarmUp(ours.tenkan, 8);
    expectWarmUp(ours.kijun, 25);
    expectWarmUp(ours.senkouB, 51);
    expect(Array.from(ours.chikou)).toEqual(close);
  });

  it('Ichimoku displacement lags the spans: the cloud under bar t is their cloud of bar t - 26', () => {
    const ours = ichimoku(bars.high, bars.low, bars.close, 9, 26, 52, 26);
    const theirs = theirCloud();
    // Their value j belongs to bar 51 + j, so ours shows it at bar 77 + j; their last 26 are not shown yet.
    expectWarmUp(ours.senkouB, 51 + 26);
    expectTail(
      ours.senkouA,
      theirs.slice(0, -26).map((r) => r.spanA),
    );
    expectTail(
      ours.senkouB,
      theirs.slice(0, -26).map((r) => r.spanB),
    );
  });

  it('MFI: same windows; theirs skip bar 0 so start a bar later, and round to 2 decimals', () => {
    const ours = mfi(bars.high, bars.low, bars.close, bars.volume, 14);
    const theirs = ti.mfi({ high, low, close, volume, period: 14 });
    expectWarmUp(ours, 14);
    expect(theirs).toHaveLength(n - 15);
    expectTail(ours, theirs, { absolute: 0.005 + 1e-9, relative: 0 });
  });

  it('A/D line from bar 0; theirs rounds the running total to units', () => {
    const ours = adLine(bars.high, bars.low, bars.close, bars.volume);
    const theirs = ti.adl({ high, low, close, volume });
    expect(theirs).toHaveLength(n);
    expectTail(ours, theirs, { absolute: 0.5 + 1e-6, relative: 0 });
  });

  it("A/D line's and CMF's derived outputs: their ROC, SMA and EMA of our line", () => {
    const ad = computeIndicator('ADLine', bars, { use_sma_smoothing: false, smoothing_period: 21 });
    const line = Array.from(ad['line']!);
    expectTail(ad['roc_10']!, ti.roc({ values: line, period: 10 }));
    expectTail(
      ad['momentum_21']!,
      line.slice(21).map((value, j) => value - line[j]!),
    );
    const average = ti.sma({ values: line, period: 50 });
    expectTail(
      ad['relative_strength']!,
      average.map((mean, j) => (line[49 + j]! / mean - 1) * 100),
    );
    const outputs = computeIndicator('CMF', bars, { period: 21 });
    const value = Array.from(outputs['cmf']!.subarray(20));
    expectWarmUp(outputs['signal']!, 28);
    expectTail(outputs['signal']!, ti.ema({ values: value, period: 9 }));
    expectTail(
      outputs['momentum']!,
      value.slice(5).map((v, j) => v - value[j]!),
    );
  });

  it('Keltner channels: EMA(20) +/- 2 x Wilder ATR(10)', () => {
    const ours = keltnerChannels(bars.high, bars.low, bars.close, 20, 10, 2);
    const theirs = ti.keltnerchannels({
      high,
      low,
      close,
      maPeriod: 20,
      atrPeriod: 10,
      useSMA: false,
      multiplier: 2,
    });
    expectWarmUp(ours.upper, 19);
    expectTail(
      ours.upper,
      theirs.map((r) => r.upper),
    );
    expectTail(
      ours.middle,
      theirs.map((r) => r.middle),
    );
    expectTail(
      ours.lower,
      theirs.map((r) => r.lower),
    );
  });

  it('Donchian channels are their highest high and lowest low, and the midpoint', () => {
    const ours = donchianChannels(bars.high, bars.low, 20);
    const highest = ti.highest({ values: high, period: 20 });
    const lowest = ti.lowest({ values: low, period: 20 });
    expectWarmUp(ours.upper, 19);
    expectTail(ours.upper, highest);
    expectTail(ours.lower, lowest);
    expectTail(
      ours.middle,
      highest.map((h, j) => (h + lowest[j]!) / 2),
    );
  });

  it('Volume ratio is volume over their volume SMA', () => {
    const theirs = ti.sma({ values: volume, period: 20 });
    const ours = volumeRatio(bars.volume, 20);
    expectWarmUp(ours, 19);
    expectTail(
      ours,
      theirs.map((average, j) => volume[19 + j]! / average),
    );
  });

  it('Distance from MA in percent of their SMA or EMA, on the chosen source', () => {
    const sma = ti.sma({ values: close, period: 20 });
    expectTail(
      distanceFromMa(bars.close, 20, 'SMA'),
      sma.map((average, j) => (100 * (close[19 + j]! - average)) / average),
    );
    const ema = ti.ema({ values: high, period: 20 });
    const ours = computeIndicator('distance_from_ma', bars, { period: 20, ma_type: 'EMA', source: 'high' });
    expectTail(
      ours['value']!,
      ema.map((average, j) => (100 * (high[19 + j]! - average)) / average),
    );
  });
});

describe('registry entries of the Python KTRDR parity indicators', () => {
  const PYTHON_NAMES = {
    ParabolicSAR: ['value'],
    Ichimoku: ['tenkan', 'kijun', 'senkou_a', 'senkou_b', 'chikou'],
    RVI: ['rvi', 'signal'],
    MFI: ['value'],
    Aroon: ['up', 'down', 'oscillator'],
    DonchianChannels: ['upper', 'middle', 'lower'],
    KeltnerChannels: ['upper', 'middle', 'lower'],
    ADLine: ['line', 'mf_multiplier', 'mf_volume', 'roc_10', 'momentum_21', 'relative_strength'],
    CMF: ['cmf', 'mf_multiplier', 'mf_volume', 'momentum', 'signal', 'histogram', 'above_zero', 'below_zero'],
    SuperTrend: ['trend', 'direction'],
    FisherTransform: ['fisher', 'signal'],
    VolumeRatio: ['value'],
    DistanceFromMA: ['value'],
  };

  it("registers each under Python KTRDR's name with its output names; fuzzy sets read the first (Python's primary)", () => {
    for (const [name, outputs] of Object.entries(PYTHON_NAMES)) {
      const definition = findIndicator(name);
      expect(definition?.name, name).toBe(name);
      expect(definition?.outputs).toEqual(outputs);
      expect(definition?.fuzzyInput).toBe(outputs[0]);
    }
    expect(listIndicators()).toHaveLength(29);
  });

  it('finds them under the spellings Python KTRDR files and its registry use', () => {
    const spellings: Record<string, string> = {
      parabolic_sar: 'ParabolicSAR',
      psar: 'ParabolicSAR',
      ichimoku: 'Ichimoku',
      rvi: 'RVI',
      mfi: 'MFI',
      aroon: 'Aroon',
      donchian: 'DonchianChannels',
      donchian_channels: 'DonchianChannels',
      keltner: 'KeltnerChannels',
      keltner_channels: 'KeltnerChannels',
      ad_line: 'ADLine',
      AccumulationDistribution: 'ADLine',
      cmf: 'CMF',
      ChaikinMoneyFlow: 'CMF',
      supertrend: 'SuperTrend',
      super_trend: 'SuperTrend',
      fisher_transform: 'FisherTransform',
      volume_ratio: 'VolumeRatio',
      distance_from_ma: 'DistanceFromMA',
    };
    for (const [spelling, name] of Object.entries(spellings)) {
      expect(findIndicator(spelling)?.name, spelling).toBe(name);
    }
  });

  it("uses Python KTRDR's parameter names and defaults", () => {
    const defaults = (name: string) =>
      Object.fromEntries(findIndicator(name)!.params.map((spec) => [spec.name, spec.default]));
    expect(defaults('ParabolicSAR')).toEqual({ initial_af: 0.02, step_af: 0.02, max_af: 0.2 });
    expect(defaults('Ichimoku')).toEqual({
      tenkan_period: 9,
      kijun_period: 26,
      senkou_b_period: 52,
      displacement: 26,
    });
    expect(defaults('RVI')).toEqual({ period: 10, signal_period: 4 });
    expect(defaults('MFI')).toEqual({ period: 14 });
    expect(defaults('Aroon')).toEqual({ period: 14, include_oscillator: false });
    expect(defaults('DonchianChannels')).toEqual({ period: 20, include_middle: true });
    expect(defaults('KeltnerChannels')).toEqual({ period: 20, atr_period: 10, multiplier: 2 });
    expect(defaults('ADLine')).toEqual({ use_sma_smoothing: false, smoothing_period: 21 });
    expect(defaults('CMF')).toEqual({ period: 21 });
    expect(defaults('SuperTrend')).toEqual({ period: 10, multiplier: 3 });
    expect(defaults('FisherTransform')).toEqual({ period: 10, smoothing: 3 });
    expect(defaults('VolumeRatio')).toEqual({ period: 20 });
    expect(defaults('DistanceFromMA')).toEqual({ period: 20, ma_type: 'SMA', source: 'close' });
  });

  it('ADLine with use_sma_smoothing reads the SMA of the running total as its line', () => {
    const raw = computeIndicator('ADLine', bars, { use_sma_smoothing: false, smoothing_period: 5 });
    const smoothed = computeIndicator('ADLine', bars, { use_sma_smoothing: true, smoothing_period: 5 });
    expectWarmUp(smoothed['line']!, 4);
    expectTail(smoothed['line']!, ti.sma({ values: Array.from(raw['line']!), period: 5 }));
    expect(smoothed['roc_10']).toEqual(raw['roc_10']);
  });
});
