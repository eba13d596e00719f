import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  applyFeatureSpec,
  buildFeatures,
  featureColumnNames,
  prepareTrainingData,
  sliceRows,
  type OhlcvColumns,
} from '../src/features/index';
import { triangularMembership } from '../src/fuzzy/index';
import { rsi } from '../src/indicators/index';
import { zigzagLabels } from '../src/labels/index';
import { parseStrategy } from '../src/strategy/index';
import { randomWalkBars } from './support/random-walk-bars';

const bars = randomWalkBars({ bars: 800, seed: 11, volatility: 0.006 });

function strategyYaml(
  options: { lookback?: number; scale?: boolean; indicators?: string; fuzzy?: string } = {},
): string {
  return `
name: features-test
indicators:
${
  options.indicators ??
  `  - name: rsi
    period: 14
  - name: macd
    fast_period: 12
    slow_period: 26
    signal_period: 9`
}
fuzzy_sets:
${
  options.fuzzy ??
  `  rsi:
    low: [0, 30, 50]
    high: [50, 70, 100]
  macd.histogram:
    pos: { type: gaussian, parameters: [0.2, 0.3] }`
}
model:
  features:
    lookback_periods: ${options.lookback ?? 2}
    scale_features: ${options.scale ?? false}
training:
  labels: { zigzag_threshold: 0.02, label_lookahead: 30 }
`;
}

describe('feature columns', () => {
  it('names columns {indicator}_{set}, then lag-major {column}_lag{k}', () => {
    const features = buildFeatures(bars, parseStrategy(strategyYaml()));
    expect(features.columns).toEqual([
      'rsi_low',
      'rsi_high',
      'macd_histogram_pos',
      'rsi_low_lag1',
      'rsi_high_lag1',
      'macd_histogram_pos_lag1',
      'rsi_low_lag2',
      'rsi_high_lag2',
      'macd_histogram_pos_lag2',
    ]);
    expect(featureColumnNames(parseStrategy(strategyYaml({ lookback: 0 })).fuzzy_sets, 0)).toEqual([
      'rsi_low',
      'rsi_high',
      'macd_histogram_pos',
    ]);
  });

  it('uses the feature_id as the column prefix when given', () => {
    const strategy = parseStrategy(
      strategyYaml({
        indicators: '  - name: RSI\n    feature_id: rsi_fast\n    period: 7',
        fuzzy: '  rsi_fast:\n    low: [0, 30, 50]',
        lookback: 0,
      }),
    );
    expect(buildFeatures(bars, strategy).columns).toEqual(['rsi_fast_low']);
  });

  it('drops warm-up rows: the first row is the first bar where every column (lags included) exists', () => {
    const features = buildFeatures(bars, parseStrategy(strategyYaml()));
    // MACD histogram starts at 26 + 9 - 2 = 33; two lags push the first complete row to bar 35.
    expect(features.barIndex[0]).toBe(35);
    expect(features.rows).toBe(bars.close.length - 35);
    expect(features.times[0]).toBe(bars.time[35]);
    expect(features.spec.warmupBars).toBe(35);
    expect(features.matrix.length).toBe(features.rows * features.columns.length);
    expect(features.matrix.every(Number.isFinite)).toBe(true);
  });

  it('holds fuzzy memberships of the indicator and their values k bars earlier in the lag columns', () => {
    const features = buildFeatures(bars, parseStrategy(strategyYaml()));
    const expected = triangularMembership(rsi(bars.close, 14), [0, 30, 50]);
    const width = features.columns.length;
    for (const row of [0, 100, features.rows - 1]) {
      const bar = features.barIndex[row]!;
      expect(features.matrix[row * width + 0]).toBeCloseTo(expected[bar]!, 6);
      expect(features.matrix[row * width + 3]).toBeCloseTo(expected[bar - 1]!, 6);
      expect(features.matrix[row * width + 6]).toBeCloseTo(expected[bar - 2]!, 6);
    }
  });

  it('rejects bars too short to produce any row', () => {
    const short = randomWalkBars({ bars: 20 });
    expect(() => buildFeatures(short, parseStrategy(strategyYaml()))).toThrow(ValidationError);
  });
});

describe('feature scaling', () => {
  it('z-scores with statistics of the train split only', () => {
    const strategy = parseStrategy(strategyYaml({ scale: true }));
    const features = buildFeatures(bars, strategy);
    const raw = buildFeatures(bars, parseStrategy(strategyYaml({ scale: false })));
    const width = features.columns.length;
    const { train } = features.split;
    expect(features.scaler?.method).toBe('standard');
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let r = train.start; r < train.end; r++) sum += raw.matrix[r * width + c]!;
      expect(features.scaler!.offset[c]).toBeCloseTo(sum / (train.end - train.start), 6);
      let scaledSum = 0;
      let scaledSquares = 0;
      for (let r = train.start; r < train.end; r++) {
        scaledSum += features.matrix[r * width + c]!;
        scaledSquares += features.matrix[r * width + c]! ** 2;
      }
      const n = train.end - train.start;
      expect(scaledSum / n).toBeCloseTo(0, 4);
      expect(scaledSquares / n).toBeCloseTo(1, 3);
    }
  });

  it('is unaffected by anything after the train split', () => {
    const strategy = parseStrategy(strategyYaml({ scale: true }));
    const features = buildFeatures(bars, strategy);
    const firstUnseenBar = features.barIndex[features.split.train.end]!;
    // Crash the price after the train split: indicators are causal, so train rows stay identical.
    const crashed: OhlcvColumns = {
      ...bars,
      close: bars.close.slice(),
      high: bars.high.slice(),
      low: bars.low.slice(),
    };
    for (let i = firstUnseenBar; i < bars.close.length; i++) {
      crashed.close[i] = bars.close[i]! * 0.5;
      crashed.high[i] = bars.high[i]! * 0.5;
      crashed.low[i] = bars.low[i]! * 0.5;
    }
    const again = buildFeatures(crashed, strategy);
    expect(again.split).toEqual(features.split);
    expect(again.scaler).toEqual(features.scaler);
    // A scaler fitted on all rows would have moved with the crash.
    const allRows = buildFeatures(crashed, parseStrategy(strategyYaml({ scale: false })));
    const width = allRows.columns.length;
    let macdMean = 0;
    for (let r = 0; r < allRows.rows; r++) macdMean += allRows.matrix[r * width + 2]!;
    expect(Math.abs(macdMean / allRows.rows - features.scaler!.offset[2]!)).toBeGreaterThan(1e-3);
  });

  it('min-max scales the train split into [0, 1] when asked', () => {
    const yaml = strategyYaml({ scale: true }).replace(
      'scale_features: true',
      'scale_features: true\n    scaling_method: minmax',
    );
    const features = buildFeatures(bars, parseStrategy(yaml));
    const width = features.columns.length;
    for (let r = features.split.train.start; r < features.split.train.end; r++) {
      for (let c = 0; c < width; c++) {
        expect(features.matrix[r * width + c]).toBeGreaterThanOrEqual(-1e-6);
        expect(features.matrix[r * width + c]).toBeLessThanOrEqual(1 + 1e-6);
      }
    }
  });
});

describe('stored feature spec for inference', () => {
  // Finite-window indicators only, so a later window of bars reproduces the same values exactly.
  const finiteWindowYaml = strategyYaml({
    scale: true,
    indicators: `  - name: sma
    period: 20
  - name: stochastic
    k_period: 14
    d_period: 3
    smooth_k: 3
  - name: roc
    period: 10`,
    fuzzy: `  sma:
    below: [0.9, 0.97, 1.0]
    above: [1.0, 1.03, 1.1]
  stochastic.d:
    high: [50, 100, 100]
  roc:
    up: { type: trapezoidal, parameters: [0, 1, 5, 50] }`,
  });

  it('reproduces the training rows bit for bit from the same bars, after a JSON round trip', () => {
    const features = buildFeatures(bars, parseStrategy(finiteWindowYaml));
    const spec = JSON.parse(JSON.stringify(features.spec)) as typeof features.spec;
    const applied = applyFeatureSpec(spec, bars);
    expect(applied.columns).toEqual(features.columns);
    expect(applied.rows).toBe(features.rows);
    expect(Array.from(applied.matrix)).toEqual(Array.from(features.matrix));
    expect(applied.scaler).toEqual(features.scaler);
  });

  it('scales new bars with the stored scaler instead of refitting', () => {
    const features = buildFeatures(bars, parseStrategy(finiteWindowYaml));
    const tail = 200;
    const start = bars.close.length - tail;
    const recent: OhlcvColumns = {
      time: bars.time.slice(start),
      open: bars.open.slice(start),
      high: bars.high.slice(start),
      low: bars.low.slice(start),
      close: bars.close.slice(start),
      volume: bars.volume.slice(start),
    };
    const applied = applyFeatureSpec(features.spec, recent);
    expect(applied.rows).toBe(tail - features.spec.warmupBars);
    const width = features.columns.length;
    const offset = features.rows - applied.rows;
    expect(Array.from(applied.matrix)).toEqual(Array.from(features.matrix.subarray(offset * width)));
    expect(applied.times[0]).toBe(features.times[offset]);
  });

  it('refuses a spec whose column list does not match its fuzzy sets', () => {
    const features = buildFeatures(bars, parseStrategy(finiteWindowYaml));
    const broken = { ...features.spec, columns: features.spec.columns.slice(1) };
    expect(() => applyFeatureSpec(broken, bars)).toThrow(ValidationError);
  });
});

describe('prepareTrainingData', () => {
  it('pairs each feature row with the ZigZag label of its bar', () => {
    const strategy = parseStrategy(strategyYaml({ scale: true }));
    const data = prepareTrainingData(bars, strategy);
    const labels = zigzagLabels(bars.close, 0.02, 30);
    expect(data.y.length).toBe(data.rows);
    data.barIndex.forEach((bar, row) => expect(data.y[row]).toBe(labels[bar]));
    const counts = data.labelCounts;
    expect(counts.train.buy + counts.train.hold + counts.train.sell).toBe(data.split.train.end);
    expect(counts.train.buy).toBeGreaterThan(0);
    expect(counts.train.sell).toBeGreaterThan(0);
  });

  it('slices the split parts as views in time order', () => {
    const data = prepareTrainingData(bars, parseStrategy(strategyYaml()));
    const width = data.columns.length;
    const validation = sliceRows(data, data.split.validation);
    expect(validation.rows).toBe(data.split.validation.end - data.split.validation.start);
    expect(validation.x.length).toBe(validation.rows * width);
    expect(validation.x[0]).toBe(data.x[data.split.validation.start * width]);
    expect(validation.y[0]).toBe(data.y[data.split.validation.start]);
    expect(data.times[data.split.train.end - 1]!).toBeLessThan(data.times[data.split.validation.start]!);
  });
});
