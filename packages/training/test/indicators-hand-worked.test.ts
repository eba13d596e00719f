import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  aroon,
  cmf,
  computeIndicator,
  fisherTransform,
  mfi,
  parabolicSar,
  rvi,
  superTrend,
} from '../src/indicators/index';
import type { OhlcvColumns } from '../src/indicators/ohlcv';
import { parseStrategy } from '../src/strategy/index';

/**
 * Small cases worked out by hand for the Python KTRDR parity indicators technicalindicators lacks
 * (RVI, Aroon, Fisher transform, SuperTrend, CMF) and for the rules where ours differ from it.
 */
function columns(rows: ReadonlyArray<readonly [number, number, number, number, number?]>): OhlcvColumns {
  const pick = (k: number) => Float64Array.from(rows, (row) => row[k] ?? 0);
  return {
    time: Float64Array.from(rows, (_, i) => i * 3_600_000),
    open: pick(0),
    high: pick(1),
    low: pick(2),
    close: pick(3),
    volume: pick(4),
  };
}

/** Same values (NaN where NaN) to 12 digits. */
function expectValues(actual: Float64Array, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => {
    if (Number.isNaN(value)) expect(actual[i], `bar ${i}`).toBeNaN();
    else expect(actual[i], `bar ${i}`).toBeCloseTo(value, 12);
  });
}

describe('hand-worked cases', () => {
  it('RVI: 1-2-2-1 weighted body over range, SMA(2), signal SMA(2)', () => {
    //              open  high  low  close   body  range
    const bars = columns([
      [10, 12, 9, 11], //  1     3
      [11, 13, 10, 12], // 1     3
      [12, 14, 11, 11], // -1    3
      [11, 12, 8, 9], //   -2    4
      [9, 11, 8, 10], //   1     3
      [10, 13, 10, 13], // 3     3
    ]);
    // Weighted (/6) at bar 3: body (1 + 2 - 2 - 2) = -1, range (3 + 6 + 6 + 4) = 19
    //                 bar 4: body (1 - 2 - 4 + 1) = -4, range (3 + 6 + 8 + 3) = 20
    //                 bar 5: body (-1 - 4 + 2 + 3) = 0, range (3 + 8 + 6 + 3) = 20
    // RVI bar 4 = mean(-1, -4) / mean(19, 20) = -5/39; bar 5 = mean(-4, 0) / mean(20, 20) = -0.1
    const lines = rvi(bars.open, bars.high, bars.low, bars.close, 2, 2);
    expectValues(lines.rvi, [NaN, NaN, NaN, NaN, -5 / 39, -0.1]);
    expectValues(lines.signal, [NaN, NaN, NaN, NaN, NaN, (-5 / 39 - 0.1) / 2]);
  });

  it('RVI: a window without range gives 0, not NaN', () => {
    const flat = columns(Array.from({ length: 6 }, () => [5, 5, 5, 5] as const));
    expectValues(rvi(flat.open, flat.high, flat.low, flat.close, 2, 1).rvi, [NaN, NaN, NaN, NaN, 0, 0]);
  });

  it('Aroon over 3 bars: bars since the extreme, the earliest winning a tie (pandas argmax)', () => {
    const high = Float64Array.from([1, 3, 2, 3, 1, 0]);
    const low = Float64Array.from([5, 4, 6, 2, 2, 7]);
    const lines = aroon(high, low, 3);
    // bar 2: highs [1,3,2] max 1 bar ago -> 100 * (3 - 1) / 3; lows [5,4,6] min 1 bar ago -> same
    // bar 3: highs [3,2,3] tie, earliest is 2 bars ago -> 100/3; lows [4,6,2] min now -> 100
    // bar 4: highs [2,3,1] 1 bar ago -> 200/3; lows [6,2,2] tie, earliest 1 bar ago -> 200/3
    // bar 5: highs [3,1,0] 2 bars ago -> 100/3; lows [2,2,7] earliest 2 bars ago -> 100/3
    expectValues(lines.up, [NaN, NaN, 200 / 3, 100 / 3, 200 / 3, 100 / 3]);
    expectValues(lines.down, [NaN, NaN, 200 / 3, 100, 200 / 3, 100 / 3]);
    expectValues(lines.oscillator, [NaN, NaN, 0, 100 / 3 - 100, 0, 0]);
  });

  it('Fisher transform over 2 bars, then its 2-bar EMA and the one-bar trigger', () => {
    const high = Float64Array.from([10, 12, 11, 11, 11]);
    const low = Float64Array.from([8, 10, 9, 11, 11]);
    // bar 1: hl2 11 in [8, 12] -> 2 * 3/4 - 1 = 0.5  -> 0.5 ln(1.5 / 0.5) = 0.5 ln 3
    // bar 2: hl2 10 in [9, 12] -> 2 * 1/3 - 1 = -1/3 -> 0.5 ln((2/3) / (4/3)) = 0.5 ln 0.5
    // bar 3: hl2 11 in [9, 11] -> 1, clipped to 0.999 -> 0.5 ln(1.999 / 0.001)
    // bar 4: hl2 11 in [11, 11], no range -> 0 -> 0
    const raw = [NaN, 0.5 * Math.log(3), 0.5 * Math.log(0.5), 0.5 * Math.log(1999), 0];
    expectValues(fisherTransform(high, low, 2, 1).fisher, raw);
    // EMA(2): alpha 2/3, seeded at bar 2 with the mean of bars 1 and 2.
    const seed = (raw[1]! + raw[2]!) / 2;
    const bar3 = seed + (2 / 3) * (raw[3]! - seed);
    const bar4 = bar3 + (2 / 3) * (0 - bar3);
    const lines = fisherTransform(high, low, 2, 2);
    expectValues(lines.fisher, [NaN, NaN, seed, bar3, bar4]);
    expectValues(lines.signal, [NaN, NaN, NaN, seed, bar3]);
  });

  it('SuperTrend(2, 1): bands only tighten while the trend holds; the close crossing a band flips it', () => {
    //                 high   low  close   true range  ATR(2, Wilder)
    const bars = columns([
      [0, 10, 8, 9], //                   -            -
      [0, 11, 9, 10], //                  2            -
      [0, 12, 10, 11], //                 2            2
      [0, 11, 9, 9.5], //                 2            2
      [0, 9, 6, 7], //                    3.5          2.75
      [0, 8, 6, 7.5], //                  2            2.375
      [0, 12, 9, 11.5], //                4.5          3.4375
    ]);
    // bar 2: hl2 11, bands 13 / 9; close 11 > 9 -> up, line 9
    // bar 3: hl2 10, basic 12 / 8; upper 12 < 13 -> 12; lower 8 < 9 and close 11 >= 9 -> stays 9; 9.5 > 9 up
    // bar 4: hl2 7.5, basic 10.25 / 4.75; upper -> 10.25; lower stays 9; close 7 <= 9 -> down, line 10.25
    // bar 5: hl2 7, basic 9.375 / 4.625; upper -> 9.375; previous close 7 < 9 -> lower 4.625;
    //        7.5 < 9.375 -> still down, line 9.375
    // bar 6: hl2 10.5, basic 13.9375 / 7.0625; upper stays 9.375 (previous close 7.5 below it);
    //        lower 7.0625 > 4.625 -> 7.0625; close 11.5 >= 9.375 -> up, line 7.0625
    const lines = superTrend(bars.high, bars.low, bars.close, 2, 1);
    expectValues(lines.trend, [NaN, NaN, 9, 9, 10.25, 9.375, 7.0625]);
    expectValues(lines.direction, [NaN, NaN, 1, 1, -1, -1, 1]);
  });

  it('CMF(2) and the A/D line: money flow multiplier x volume; no range -> 0, no volume -> 0', () => {
    //             open high low close volume   multiplier                     flow volume
    const bars = columns([
      [0, 10, 8, 9.5, 100], // ((1.5) - (0.5)) / 2 = 0.5      50
      [0, 10, 8, 8.5, 200], // ((0.5) - (1.5)) / 2 = -0.5     -100
      [0, 9, 9, 9, 300], //    high == low -> 0                 0
      [0, 10, 8, 10, 0], //    1                                0
      [0, 10, 8, 10, 0], //    1                                0
    ]);
    // CMF bar 1: (50 - 100) / 300 = -1/6; bar 2: -100 / 500 = -0.2; bar 3: 0 / 300 = 0; bar 4: 0 / 0 -> 0
    expectValues(cmf(bars.high, bars.low, bars.close, bars.volume, 2), [NaN, -1 / 6, -0.2, 0, 0]);
    const outputs = computeIndicator('CMF', bars, { period: 2 });
    expectValues(outputs['mf_multiplier']!, [0.5, -0.5, 0, 1, 1]);
    expectValues(outputs['above_zero']!, [NaN, 0, 0, 0, 0]);
    expectValues(outputs['below_zero']!, [NaN, 1, 1, 0, 0]);
    const ad = computeIndicator('ADLine', bars, { use_sma_smoothing: false, smoothing_period: 2 });
    expectValues(ad['line']!, [50, -50, -50, -50, -50]);
    expectValues(ad['mf_volume']!, [50, -100, 0, 0, 0]);
  });

  it('MFI: an unchanged typical price is neither flow; no negative flow is 100, no flow at all 50', () => {
    //                          typical price   flow
    const bars = columns([
      [0, 10, 10, 10, 5], //    10              -
      [0, 11, 11, 11, 5], //    11 up           55
      [0, 11, 11, 11, 5], //    11 unchanged    neither
      [0, 10, 10, 10, 1], //    10 down         10
      [0, 10, 10, 10, 0], //    10 unchanged    neither, no volume either
      [0, 10, 10, 10, 0], //    10 unchanged
    ]);
    // MFI(2) bar 2: +55 / -0 -> 100; bar 3: +0 / -10 -> 0; bar 4: -10 only -> 0; bar 5: none -> 50
    expectValues(mfi(bars.high, bars.low, bars.close, bars.volume, 2), [NaN, NaN, 100, 0, 0, 50]);
  });

  it('Parabolic SAR with initial_af 0.01 and step_af 0.02', () => {
    const high = Float64Array.from([10, 11, 12, 13, 12.5, 12]);
    const low = Float64Array.from([9, 10, 11, 12, 9.1, 9]);
    // bar 1: 9 + 0.01 * (10 - 9), held at the lows before (9) -> 9; new high 11: af 0.03
    // bar 2: 9 + 0.03 * (11 - 9) = 9.06 -> held at bar 0's low 9; new high 12: af 0.05
    // bar 3: 9 + 0.05 * (12 - 9) = 9.15 (below the lows 11, 10); new high 13: af 0.07
    // bar 4: 9.15 + 0.07 * (13 - 9.15) = 9.4195; low 9.1 crosses it: short at the extreme 13, af 0.01
    // bar 5: 13 + 0.01 * (9.1 - 13) = 12.961 -> held at the highs before (13)
    expectValues(parabolicSar(high, low, 0.01, 0.02, 0.2), [NaN, 9, 9, 9.15, 13, 13]);
    // With initial_af = step_af = 0.02, bar 3 is 9 + 0.06 * 3.
    expect(parabolicSar(high, low, 0.02, 0.02, 0.2)[3]).toBeCloseTo(9.18, 12);
  });
});

describe('Python strategy files with the new indicators', () => {
  const strategy = (indicator: string) => `name: probe
indicators:
  - ${indicator}
fuzzy_sets:
  probe: {low: [-100, 0, 100]}
model: {type: mlp, architecture: {hidden_layers: [4]}, training: {epochs: 1}}
training: {labels: {source: zigzag, zigzag_threshold: 0.02, label_lookahead: 10}}
`;

  function problemOf(indicator: string): string {
    try {
      parseStrategy(strategy(indicator), 'probe.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as Error).message;
    }
    throw new Error('expected the strategy to be rejected');
  }

  it("accepts Python KTRDR's parameters, include_* flags and ignored source: close", () => {
    const parsed = parseStrategy(
      strategy('{name: aroon, feature_id: probe, period: 25, include_oscillator: true, source: close}'),
    );
    expect(parsed.indicators[0]).toMatchObject({
      indicator: 'Aroon',
      params: { period: 25, include_oscillator: true },
    });
    const distance = parseStrategy(strategy('{name: distance_from_ma, feature_id: probe, ma_type: EMA}'));
    expect(distance.indicators[0]?.params).toEqual({ period: 20, ma_type: 'EMA', source: 'close' });
  });

  it('fails loudly on a misspelled parameter, an unknown ma_type and a cross-parameter conflict', () => {
    expect(problemOf('{name: keltner_channels, feature_id: probe, atr_periods: 14}')).toContain(
      'KeltnerChannels has no parameter "atr_periods"; its parameters are period, atr_period, multiplier',
    );
    expect(problemOf('{name: distance_from_ma, feature_id: probe, ma_type: WMA}')).toContain(
      'must be one of SMA, EMA (got "WMA")',
    );
    expect(problemOf('{name: parabolic_sar, feature_id: probe, initial_af: 0.3}')).toContain(
      'initial_af must not exceed max_af (got 0.3 and 0.2)',
    );
  });

  it('fuzzy sets name the outputs Python KTRDR names', () => {
    const text = strategy('{name: supertrend, feature_id: st}').replace(
      'probe: {low: [-100, 0, 100]}',
      'st.direction: {down: [-1.5, -1, 0], up: [0, 1, 1.5]}',
    );
    expect(parseStrategy(text).fuzzy_sets[0]).toMatchObject({ indicatorKey: 'st', output: 'direction' });
    const wrongOutput = strategy('{name: aroon, feature_id: probe}').replace('probe: {', 'probe.upper: {');
    expect(() => parseStrategy(wrongOutput)).toThrow(
      'Aroon has no output "upper"; its outputs are up, down, oscillator',
    );
  });
});
