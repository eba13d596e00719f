import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  applyFeatureSpec,
  buildFeatures,
  lastClosedIndex,
  prepareTrainingData,
  type OhlcvColumns,
  type TimeframeSeries,
} from '../src/features/index';
import { parseStrategy } from '../src/strategy/index';
import type { StrategyConfig } from '../src/strategy/types';
import { randomWalkBars } from './support/random-walk-bars';
import { resampleBars } from './support/resample-bars';

const HOUR = 3_600_000;
const hourly = randomWalkBars({ bars: 24 * 60, seed: 3, volatility: 0.006 });

function strategy(options: { scale?: boolean; lookback?: number } = {}): StrategyConfig {
  return parseStrategy(`
name: mtf-test
indicators:
  - name: rsi
    period: 14
  - name: roc
    period: 5
fuzzy_sets:
  rsi:
    low: [0, 30, 50]
    high: [50, 70, 100]
  roc:
    up: [0, 2, 100]
model:
  features:
    lookback_periods: ${options.lookback ?? 1}
    scale_features: ${options.scale ?? false}
training:
  labels: { zigzag_threshold: 0.02, label_lookahead: 30 }
`);
}

function series(bars: OhlcvColumns = hourly): TimeframeSeries[] {
  return [
    { timeframe: '4h', barMs: 4 * HOUR, bars: resampleBars(bars, 4 * HOUR) },
    { timeframe: '1h', barMs: HOUR, bars },
    { timeframe: '1d', barMs: 24 * HOUR, bars: resampleBars(bars, 24 * HOUR) },
  ];
}

/** A copy of `bars` whose bars opened at or after `from` are replaced by a different walk. */
function changedFrom(bars: OhlcvColumns, from: number): OhlcvColumns {
  const other = randomWalkBars({ bars: bars.time.length, seed: 99, volatility: 0.05, startPrice: 300 });
  const out = {
    time: bars.time.slice(),
    open: bars.open.slice(),
    high: bars.high.slice(),
    low: bars.low.slice(),
    close: bars.close.slice(),
    volume: bars.volume.slice(),
  };
  for (let i = 0; i < bars.time.length; i++) {
    if (bars.time[i]! < from) continue;
    for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) out[field][i] = other[field][i]!;
  }
  return out;
}

describe('lastClosedIndex', () => {
  it('shows a 4h bar to the hourly rows only from the one that closes with it', () => {
    const base = Float64Array.from({ length: 12 }, (_, i) => i * HOUR);
    const fourHour = Float64Array.from([0, 4 * HOUR, 8 * HOUR]);
    expect([...lastClosedIndex(base, HOUR, fourHour, 4 * HOUR)]).toEqual([
      -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 2,
    ]);
  });

  it('carries the last closed bar across a gap in the higher timeframe', () => {
    const base = Float64Array.from({ length: 6 }, (_, i) => (i + 8) * HOUR);
    const fourHour = Float64Array.from([0, 4 * HOUR]); // nothing after 08:00
    expect([...lastClosedIndex(base, HOUR, fourHour, 4 * HOUR)]).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('multi-timeframe features', () => {
  it('orders timeframes base first (highest frequency) and prefixes every column', () => {
    const features = buildFeatures(series(), strategy());
    const names = ['rsi_low', 'rsi_high', 'roc_up', 'rsi_low_lag1', 'rsi_high_lag1', 'roc_up_lag1'];
    expect(features.columns).toEqual(['1h', '4h', '1d'].flatMap((tf) => names.map((n) => `${tf}_${n}`)));
    expect(features.spec.timeframes?.map((p) => [p.timeframe, p.barMs])).toEqual([
      ['1h', HOUR],
      ['4h', 4 * HOUR],
      ['1d', 24 * HOUR],
    ]);
    // Rows are hourly bars: the daily RSI's warm-up (15 days) decides the first row.
    expect(features.times[0]).toBeGreaterThanOrEqual(hourly.time[0]! + 15 * 24 * HOUR - HOUR);
    expect(features.rows).toBeGreaterThan(24 * 40);
  });

  it('never lets a row see a higher-timeframe bar that closes after the row does', () => {
    const before = buildFeatures(series(), strategy());
    // Change every bar (of every timeframe) from 30 days + 7h on: 4h and daily bars that opened
    // earlier but close later are changed too, since they are rebuilt from the changed hours.
    const cut = hourly.time[0]! + (30 * 24 + 7) * HOUR;
    const after = buildFeatures(series(changedFrom(hourly, cut)), strategy());
    const width = before.columns.length;
    let compared = 0;
    let changedLater = false;
    for (let r = 0; r < before.rows; r++) {
      expect(after.times[r]).toBe(before.times[r]);
      const rowBefore = before.matrix.subarray(r * width, (r + 1) * width);
      const rowAfter = after.matrix.subarray(r * width, (r + 1) * width);
      if (before.times[r]! + HOUR <= cut) {
        // The row closed before anything changed: not one of its features may move.
        expect([...rowAfter]).toEqual([...rowBefore]);
        compared++;
      } else if ([...rowAfter].some((v, c) => v !== rowBefore[c])) {
        changedLater = true;
      }
    }
    expect(compared).toBeGreaterThan(10);
    expect(changedLater).toBe(true);
  });

  it('keeps a 4h bar away from the hours inside it, even those whose own bar did not change', () => {
    // Change only the 4h bar opened at 08:00 on day 20 (through its last hour, 11:00).
    const day20 = hourly.time[0]! + 20 * 24 * HOUR;
    const parts = series();
    const fourHour = parts[0]!.bars;
    const k = fourHour.time.indexOf(day20 + 8 * HOUR);
    fourHour.close[k] = fourHour.close[k]! * 1.5;
    const baseline = buildFeatures(series(), strategy());
    const changed = buildFeatures(parts, strategy());
    const column = baseline.columns.indexOf('4h_roc_up');
    const width = baseline.columns.length;
    const at = (f: typeof baseline, time: number) => f.matrix[f.times.indexOf(time) * width + column];
    for (const hour of [8, 9, 10])
      expect(at(changed, day20 + hour * HOUR)).toBe(at(baseline, day20 + hour * HOUR));
    expect(at(changed, day20 + 11 * HOUR)).not.toBe(at(baseline, day20 + 11 * HOUR));
  });

  it('labels rows from the base timeframe, and applyFeatureSpec rebuilds the scaled rows', () => {
    const strat = strategy({ scale: true });
    const data = prepareTrainingData(series(), strat);
    const single = prepareTrainingData(hourly, strat);
    // Same hourly closes, same labels for the same bars.
    const offset = single.times.indexOf(data.times[0]!);
    expect([...data.y]).toEqual([...single.y.subarray(offset, offset + data.rows)]);
    const again = applyFeatureSpec(data.spec, series());
    expect(again.rows).toBe(data.rows);
    expect(Array.from(again.matrix.subarray(0, 60))).toEqual(Array.from(data.x.subarray(0, 60)));
  });

  it('reads a fuzzy input only at the timeframes nn_inputs names', () => {
    const base = strategy({ lookback: 0 });
    const restricted: StrategyConfig = {
      ...base,
      fuzzy_sets: base.fuzzy_sets.map((f) => (f.input === 'roc' ? { ...f, timeframes: ['4h'] } : f)),
    };
    expect(buildFeatures(series(), restricted).columns).toEqual([
      '1h_rsi_low',
      '1h_rsi_high',
      '4h_rsi_low',
      '4h_rsi_high',
      '4h_roc_up',
      '1d_rsi_low',
      '1d_rsi_high',
    ]);
    const error = (() => {
      try {
        buildFeatures(series().slice(1, 2), restricted);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/nn_inputs reads roc at 4h, which this training does not load/);
  });

  it('refuses a multi-timeframe spec given one series, naming the timeframes it reads', () => {
    const { spec } = buildFeatures(series(), strategy());
    expect(() => applyFeatureSpec(spec, hourly)).toThrow(/reads 1h, 4h, 1d: give bars for each timeframe/);
    expect(() => applyFeatureSpec(spec, series().slice(0, 2))).toThrow(/No 1d bars given/);
  });
});
